#!/usr/bin/env node
// Compiles the Solidity contracts of src/ with the pinned solcjs and writes, for each contract,
// OUT_DIR/<Name>.json with its ABI and creation bytecode. Usage: node build.js OUT_DIR
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: node build.js OUT_DIR');
  process.exit(2);
}
const srcDir = path.join(__dirname, 'src');
const sources = {};
for (const file of fs.readdirSync(srcDir).filter((f) => f.endsWith('.sol')).sort())
  sources[file] = { content: fs.readFileSync(path.join(srcDir, file), 'utf8') };

const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'cancun',
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  },
};

// Imports resolve to the pinned npm packages (OpenZeppelin) or to src/.
function findImport(importPath) {
  for (const base of [path.join(__dirname, 'node_modules'), srcDir]) {
    const candidate = path.join(base, importPath);
    if (fs.existsSync(candidate)) return { contents: fs.readFileSync(candidate, 'utf8') };
  }
  return { error: 'not found: ' + importPath };
}

const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport }));
let failed = false;
// Errors anywhere fail the build; warnings are shown for our own sources only.
for (const e of output.errors || []) {
  if (e.severity === 'error') failed = true;
  const file = e.sourceLocation && e.sourceLocation.file;
  if (e.severity === 'error' || !file || file in sources) console.error(e.formattedMessage);
}
if (failed) process.exit(1);

fs.mkdirSync(outDir, { recursive: true });
for (const file of Object.keys(sources)) {
  for (const [name, contract] of Object.entries(output.contracts[file] || {})) {
    const runtime = contract.evm.deployedBytecode.object.length / 2;
    fs.writeFileSync(path.join(outDir, name + '.json'), JSON.stringify({
      contractName: name,
      compiler: 'solc ' + solc.version(),
      abi: contract.abi,
      bytecode: '0x' + contract.evm.bytecode.object,
    }, null, 1) + '\n');
    console.log(`${name}: ${runtime} bytes of runtime code`);
  }
}
