#!/usr/bin/env bash
# Builds the libFuzzer targets of the file readers and the chain codecs (preset `fuzz`: clang, ASan + UBSan) and runs
# each for a bounded time on a corpus seeded with real files (scripts/fetch-test-data.sh) and
# fuzz/seeds. Fails when any input crashes a reader; the input is kept in build-fuzz/artifacts.
# Usage: scripts/fuzz.sh [SECONDS]   (per target, default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "fuzz.sh: SECONDS must be a number" >&2; exit 2; }

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"
data=build/test-data
scripts/fetch-test-data.sh "$data" >/dev/null

corpus=build-fuzz/corpus
artifacts=build-fuzz/artifacts
mkdir -p "$artifacts"
seed() { # seed TARGET FILES...
  local target=$1
  shift
  mkdir -p "$corpus/$target"
  cp -n "$@" "$corpus/$target/" 2>/dev/null || true
}
seed fuzz_dicom "$data"/dicom/*.dcm
seed fuzz_nifti "$data"/nifti/*
seed fuzz_tfjs fuzz/seeds/*.tfjs
# ONNX: models and tensors from ONNX's own backend test data (libonnx-testdata)
onnx_data=/usr/share/libonnx-testdata/data
for case in node/test_conv_with_strides_padding node/test_gemm_default_scalar_bias \
  node/test_slice_neg_steps pytorch-converted/test_BatchNorm2d_eval simple/test_single_relu_model; do
  name=${case//\//-}
  mkdir -p "$corpus/fuzz_onnx"
  cp -n "$onnx_data/$case/model.onnx" "$corpus/fuzz_onnx/$name.onnx" 2>/dev/null || true
  cp -n "$onnx_data/$case/test_data_set_0/input_0.pb" "$corpus/fuzz_onnx/$name-input.pb" \
    2>/dev/null || true
done
seed fuzz_documents fuzz/seeds/contract.txt fuzz/seeds/notes.md
seed fuzz_multipart fuzz/seeds/*.multipart
# A small DOCX and a one-page PDF, made here rather than committed as binaries.
python3 - "$corpus/fuzz_documents" <<'PY'
import sys, zipfile
out = sys.argv[1]
with zipfile.ZipFile(out + "/letter.docx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", "<Types/>")
    z.writestr("word/document.xml",
               '<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>Dear colleague,</w:t><w:tab/>'
               '<w:t>the results.</w:t></w:r></w:p></w:body></w:document>')
objects = ["<< /Type /Catalog /Pages 2 0 R >>",
           "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
           "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R "
           "/Resources << /Font << /F1 5 0 R >> >> >>",
           None,
           "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
stream = "BT /F1 12 Tf 20 50 Td (Hello report) Tj ET"
objects[3] = "<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
pdf, offsets = "%PDF-1.4\n", []
for i, body in enumerate(objects, 1):
    offsets.append(len(pdf))
    pdf += "%d 0 obj\n%s\nendobj\n" % (i, body)
xref = len(pdf)
pdf += "xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
pdf += "".join("%010d 00000 n \n" % o for o in offsets)
pdf += "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
open(out + "/report.pdf", "w").write(pdf)
PY

# Real transactions and RLP from the Ethereum Foundation's vectors, behind their mode byte.
python3 - "$corpus/fuzz_chain_codecs" tests/vectors/ethereum-tests <<'PY'
import glob, json, os, sys
out, vectors = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
for i, f in enumerate(sorted(glob.glob(vectors + "/TransactionTests/*/*.json"))[:40]):
    for name, test in json.load(open(f)).items():
        open("%s/tx-%d" % (out, i), "wb").write(b"\x01" + bytes.fromhex(test["txbytes"][2:]))
for name, test in json.load(open(vectors + "/RLPTests/rlptest.json")).items():
    open("%s/rlp-%s" % (out, name), "wb").write(b"\x00" + bytes.fromhex(test["out"][2:]))
PY

# Two small GGUF files written here: a SentencePiece and a byte-level vocabulary, tensors of
# the types the reader dequantizes (their bytes random).
python3 - "$corpus/fuzz_gguf" <<'PY'
import os, random, struct, sys
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
def s(text): b = text.encode(); return struct.pack("<Q", len(b)) + b
def kv_str(k, v): return s(k) + struct.pack("<I", 8) + s(v)
def kv_u32(k, v): return s(k) + struct.pack("<II", 4, v)
def kv_strs(k, vs): return s(k) + struct.pack("<IIQ", 9, 8, len(vs)) + b"".join(s(v) for v in vs)
def kv_f32s(k, vs): return s(k) + struct.pack("<IIQ", 9, 6, len(vs)) + struct.pack("<%df" % len(vs), *vs)
def kv_i32s(k, vs): return s(k) + struct.pack("<IIQ", 9, 5, len(vs)) + struct.pack("<%di" % len(vs), *vs)
layouts = {0: (1, 4), 1: (1, 2), 30: (1, 2), 2: (32, 18), 8: (32, 34), 12: (256, 144), 13: (256, 176), 14: (256, 210)}
def gguf(name, kvs):
    rng = random.Random(name)
    infos, data = b"", b""
    for i, t in enumerate(layouts):
        values, (block, size) = 256, layouts[t]
        infos += s("t%d" % i) + struct.pack("<IQIQ", 1, values, t, len(data))
        data += bytes(rng.randrange(256) for _ in range(values // block * size))
        data += b"\0" * ((32 - len(data) % 32) % 32)
    head = b"GGUF" + struct.pack("<IQQ", 3, len(layouts), len(kvs)) + b"".join(kvs) + infos
    open(os.path.join(out, name), "wb").write(head + b"\0" * ((32 - len(head) % 32) % 32) + data)
pieces = ["<unk>", "<s>", "</s>"] + ["<0x%02X>" % b for b in range(256)] + ["\u2581", "\u2581t", "he", "\u2581the", "a"]
gguf("spm.gguf", [kv_str("general.architecture", "llama"), kv_str("tokenizer.ggml.model", "llama"),
                  kv_strs("tokenizer.ggml.tokens", pieces), kv_f32s("tokenizer.ggml.scores", [-float(i) for i in range(len(pieces))]),
                  kv_i32s("tokenizer.ggml.token_type", [2, 3, 3] + [6] * 256 + [1] * 5), kv_u32("tokenizer.ggml.unknown_token_id", 0)])
byte_pieces = [chr(b) if 33 <= b <= 126 or 161 <= b <= 172 or b >= 174 else None for b in range(256)]
n = 256
for b in range(256):
    if byte_pieces[b] is None: byte_pieces[b] = chr(n); n += 1
gguf("bpe.gguf", [kv_str("general.architecture", "gpt2"), kv_str("tokenizer.ggml.model", "gpt2"), kv_str("tokenizer.ggml.pre", "gpt-2"),
                  kv_strs("tokenizer.ggml.tokens", byte_pieces + ["\u0120t", "\u0120th", "<|endoftext|>"]),
                  kv_strs("tokenizer.ggml.merges", ["\u0120 t", "\u0120t h"])])
PY

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
# Third-party caches that live as long as the process are not leaks of the readers.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/fuzz/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export QT_QPA_PLATFORM=offscreen
failed=0
for target in fuzz_dicom fuzz_nifti fuzz_tfjs fuzz_documents fuzz_chain_codecs fuzz_multipart \
  fuzz_gguf fuzz_onnx; do
  echo "== $target: ${seconds} s"
  if ! build-fuzz/bin/$target -max_total_time="$seconds" -timeout=60 -rss_limit_mb=4096 \
      -max_len=1048576 -print_final_stats=1 -artifact_prefix="$artifacts/$target-" \
      "$corpus/$target" 2>"build-fuzz/$target.log"; then
    echo "fuzz.sh: $target found an input that breaks its reader (see build-fuzz/$target.log" \
         "and $artifacts)" >&2
    tail -40 "build-fuzz/$target.log" >&2
    failed=1
  else
    grep -E "stat::number_of_executed_units|stat::new_units_added" "build-fuzz/$target.log" | tr '\n' ' '
    echo
  fi
done
exit $failed
