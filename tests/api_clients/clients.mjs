// The local API's tests drive it through real client libraries: OpenAI's and Ollama's, as other
// programs would. One command a run; prints one JSON object on stdout.
//   node clients.mjs URL TOKEN openai-stream MODEL DOCUMENT_FILE LEVEL
//   node clients.mjs URL TOKEN openai-whole MODEL DOCUMENT_FILE LEVEL
//   node clients.mjs URL TOKEN openai-completion MODEL DOCUMENT_FILE LEVEL
//   node clients.mjs URL TOKEN ollama-chat MODEL DOCUMENT_FILE LEVEL
//   node clients.mjs URL TOKEN models
//   node clients.mjs URL TOKEN unknown-model
//   node clients.mjs URL TOKEN wrong-token
//   node clients.mjs URL TOKEN concurrent MODEL DOCUMENT_FILE LEVEL COUNT
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { Ollama } from 'ollama';

const [url, token, mode, model, documentFile, level, count] = process.argv.slice(2);
const document = documentFile ? readFileSync(documentFile, 'utf8') : '';
const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: token, maxRetries: 0 });
const ollama = new Ollama({ host: url, headers: { Authorization: `Bearer ${token}` } });
const messages = [{ role: 'user', content: document }];
const nesa = { privacy: level };

async function statusOf(call) {
  try {
    await call();
    return { status: 200 };
  } catch (error) {
    return { status: error.status ?? error.status_code ?? null, message: String(error.message) };
  }
}

async function main() {
  switch (mode) {
    case 'openai-stream': {
      const stream = await openai.chat.completions.create({ model, messages, stream: true, nesa });
      let text = '';
      let chunks = 0;
      let finish = null;
      let result = null;
      for await (const chunk of stream) {
        chunks += 1;
        text += chunk.choices[0]?.delta?.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
        result = chunk.nesa ?? result;
      }
      return { text, chunks, finish, result };
    }
    case 'openai-whole': {
      const answer = await openai.chat.completions.create({ model, messages, nesa });
      return { text: answer.choices[0].message.content, result: answer.nesa };
    }
    case 'openai-completion': {
      const answer = await openai.completions.create({ model, prompt: document, nesa });
      return { text: answer.choices[0].text, result: answer.nesa };
    }
    case 'ollama-chat': {
      const stream = await ollama.chat({ model, messages, stream: true, nesa });
      let text = '';
      let done = false;
      for await (const part of stream) {
        text += part.message?.content ?? '';
        done = done || part.done;
      }
      return { text, done };
    }
    case 'models': {
      const listed = [];
      for await (const m of openai.models.list())
        listed.push(m.id);
      const tags = await ollama.list();
      return { openai: listed, ollama: tags.models.map((m) => m.name) };
    }
    case 'unknown-model':
      return statusOf(() =>
        openai.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }));
    case 'wrong-token': {
      const stranger = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'x'.repeat(64), maxRetries: 0 });
      return statusOf(() => stranger.models.list());
    }
    case 'concurrent': {
      const n = Number(count);
      const runs = await Promise.all(
        Array.from({ length: n }, () =>
          openai.chat.completions
            .create({ model, messages, nesa })
            .then((a) => ({ ok: true, text: a.choices[0].message.content }))
            .catch((e) => ({ ok: false, status: e.status ?? null }))));
      return {
        completed: runs.filter((r) => r.ok).length,
        refused: runs.filter((r) => !r.ok && r.status === 503).length,
        failed: runs.filter((r) => !r.ok && r.status !== 503).length,
        distinctTexts: new Set(runs.filter((r) => r.ok).map((r) => r.text)).size,
      };
    }
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

main().then(
  (out) => console.log(JSON.stringify(out)),
  (error) => {
    console.log(JSON.stringify({ error: String(error.message ?? error), status: error.status ?? null }));
    process.exitCode = 1;
  });
