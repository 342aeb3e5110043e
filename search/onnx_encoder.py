"""The sentence embedder on onnxruntime: an ONNX export of the local model, run without torch.

Why: the encoder is the ingest ceiling and most of a query's cost.  onnxruntime runs the same
weights with fused BERT kernels (attention, layer norm, GELU), and a process that finds the
export cached (search/onnx_export.py makes it) never imports torch.

Variants: ``onnx`` (fp32: the torch vectors to float rounding) and ``onnx-int8`` (most weights
quantised per output channel by onnxruntime's dynamic quantisation: faster still, but its
vectors are its own, so they are recorded under a name of their own, see ``vector_name``).
Tokenizer, maximum length, mean pooling and normalisation are the sentence-transformers ones.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import numpy as np

from missiongraph import settings
from missiongraph.errors import ConfigError

VARIANTS = ("onnx", "onnx-int8")
_LOCK = threading.Lock()


def vector_name(base: str, variant: str) -> str:
    """The model name recorded with vectors: fp32 keeps torch's (same vectors), int8 gets its own,
    so the store's model check refuses to mix int8 vectors with torch ones."""
    return base if variant == "onnx" else f"{base}+{variant}"


def model_config(path: str) -> dict:
    """What the export and the encoder need from the folder: max length, lower-casing, pooling."""
    root = Path(path)

    def read(name: str) -> dict:
        f = root / name
        return json.loads(f.read_text(encoding="utf-8")) if f.is_file() else {}

    st, cfg, tok = read("sentence_bert_config.json"), read("config.json"), read("tokenizer_config.json")
    pooling = read("1_Pooling/config.json")
    others = ("pooling_mode_cls_token", "pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens")
    if pooling and (not pooling.get("pooling_mode_mean_tokens") or any(pooling.get(k) for k in others)):
        raise ConfigError(f"the onnx encoder does mean pooling only; {path} asks for {pooling}", input=path)
    max_len = st.get("max_seq_length")
    if not max_len:  # sentence-transformers' own fallback
        max_len = min(int(tok.get("model_max_length") or 10**9), int(cfg.get("max_position_embeddings") or 512))
    return {"max_seq_length": int(max_len), "do_lower_case": bool(st.get("do_lower_case")),
            "hidden_size": int(cfg.get("hidden_size") or 0), "num_heads": int(cfg.get("num_attention_heads") or 0),
            "model_type": cfg.get("model_type") or ""}


# -- tokens and sessions ---------------------------------------------------------------------
def load_tokenizer(path: str, max_len: int):
    """The folder's fast tokenizer (``tokenizers``), truncating at the model's max length, no padding
    (batches are padded to their longest text, as sentence-transformers does)."""
    from tokenizers import Tokenizer

    file = Path(path) / "tokenizer.json"
    if file.is_file():
        tok = Tokenizer.from_file(str(file))
    else:  # a folder with vocab.txt only: transformers builds the fast tokenizer
        settings.offline()
        from transformers import AutoTokenizer

        tok = AutoTokenizer.from_pretrained(path, local_files_only=True, use_fast=True).backend_tokenizer
    tok.no_padding()
    tok.enable_truncation(max_length=max_len, strategy="longest_first")
    return tok


def _pad(encodings, names: list[str]) -> dict[str, np.ndarray]:
    width = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(encodings), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    types = np.zeros_like(ids)
    for r, e in enumerate(encodings):
        n = len(e.ids)
        ids[r, :n], mask[r, :n], types[r, :n] = e.ids, e.attention_mask, e.type_ids
    arrays = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
    return {n: arrays[n] for n in names}


def batch_inputs(tokenizer, texts: list[str], names: list[str]) -> dict[str, np.ndarray]:
    return _pad(tokenizer.encode_batch(texts), names)


def _session(file: str, threads: int):
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads = threads      # 0: onnxruntime's default, one per physical core
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.log_severity_level = 3
    # Idle pool threads sleep instead of spinning: on two cores shared with extraction workers
    # (or a web server) a spinning thread takes the core they need, as OpenMP's did for torch.
    so.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(file, so, providers=["CPUExecutionProvider"])


def run_file(file: str, feed: dict) -> np.ndarray:
    sess = _session(file, 1)
    return sess.run(None, {i.name: feed[i.name] for i in sess.get_inputs()})[0]


def cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)
    b = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-12)
    return (a * b).sum(1)


class OnnxEncoder:
    """Encode texts with an ONNX export of a sentence-transformers folder (mean pooling, L2 norm)."""

    def __init__(self, name: str, path: str, variant: str, root: Path | None = None):
        try:
            import onnxruntime  # noqa: F401
        except ImportError as e:
            raise ConfigError(f"encoder {variant!r} needs the onnxruntime package (pip install onnxruntime); "
                              "or set encoder (MISSIONGRAPH_ENCODER) to torch", input=variant) from e
        from search.onnx_export import export

        self.variant = variant
        self.file = str(export(name, path, variant, root))
        cfg = model_config(path)
        self.max_seq_length = cfg["max_seq_length"]
        self._lower = cfg["do_lower_case"]
        self.tokenizer = load_tokenizer(path, self.max_seq_length)
        self._sessions: dict[int, object] = {}
        first = self.session(1)
        self.input_names = [i.name for i in first.get_inputs()]
        width = first.get_outputs()[0].shape[-1]
        self.dim = int(width) if isinstance(width, int) else cfg["hidden_size"]

    def session(self, threads: int):
        """One onnxruntime session per thread count (its thread pool is fixed when it is made)."""
        if threads not in self._sessions:
            with _LOCK:
                if threads not in self._sessions:
                    self._sessions[threads] = _session(self.file, threads)
        return self._sessions[threads]

    def encode(self, texts: list[str], batch_size: int = 64, threads: int | None = None) -> np.ndarray:
        """(len(texts), dim) float32 unit rows; texts are batched longest first so batches pad little.

        ``threads``: intra-op threads for this call (None: onnxruntime's default); one text
        (a query) runs on one thread, like the torch path.
        """
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        texts = [t.strip() for t in texts]
        if self._lower:
            texts = [t.lower() for t in texts]
        if len(texts) == 1:
            encodings, threads = [self.tokenizer.encode(texts[0])], 1
        else:
            encodings = self.tokenizer.encode_batch(texts)
        cores = os.cpu_count() or 1
        n = 0 if threads is None or threads >= cores else max(1, int(threads))  # 0: the default pool
        sess = self.session(n)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        # int8: one text per run. Dynamic quantisation scales each activation tensor by its batch's
        # range, so a text's vector moved with its batch-mates (cosine 0.992 to itself embedded alone);
        # alone, a stored vector is exactly the one its text gives as a query, and on the one thread an
        # ingest leaves the encoder it also ran 1.15x faster than batches of 32 (no padding).
        step = 1 if self.variant == "onnx-int8" else max(1, batch_size)
        for i in range(0, len(order), step):
            rows = order[i:i + step]
            out[rows] = sess.run(None, _pad([encodings[r] for r in rows], self.input_names))[0]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out
