"""The sentence embedder on onnxruntime: the local model exported once to ONNX, run without torch.

Why: the encoder is the ingest ceiling and most of a query's cost.  onnxruntime runs the same
weights with fused BERT kernels (attention, layer norm, GELU), and a process that finds the
export in its cache never imports torch.  The export is made here from the local model folder
(nothing is downloaded), checked against torch before it is kept, and cached under
``$MISSIONGRAPH_CACHE_DIR/onnx/<model>-<variant>/`` (default ``~/.cache/missiongraph``).

Variants: ``onnx`` (fp32: the torch vectors to float rounding) and ``onnx-int8`` (weights
quantised per output channel by onnxruntime's dynamic quantisation: smaller and faster, but
its vectors are its own, so they are recorded under a name of their own, see ``vector_name``).
Tokenizer, maximum length, mean pooling and normalisation are the sentence-transformers ones.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
import warnings
from pathlib import Path

import numpy as np

from missiongraph import settings
from missiongraph.errors import ConfigError

VARIANTS = ("onnx", "onnx-int8")
RECIPE = 2          # bump when the export recipe changes: cached files of another recipe are rebuilt
OPSET = 17
FP32_MIN_COSINE = 0.9999   # an fp32 export must reproduce torch to this cosine on the probes
INT8_MIN_COSINE = 0.97     # a sanity floor for int8 (a broken quantisation lands far below)
_PROBES = [
    "Decides to extend the mandate of the Mission until 30 April 2026.",
    "The convoy was delayed for six hours because an improvised explosive device was found on the main "
    "supply route; engineers cleared the road after a route-clearance team arrived.",
    "Loose screws in a reworked power inverter caused intermittent voltage fluctuations.",
    "ceasefire",
    "",
]
_LOCK = threading.Lock()


def vector_name(base: str, variant: str) -> str:
    """The model name recorded with vectors: fp32 keeps torch's (same vectors), int8 gets its own,
    so the store's model check refuses to mix int8 vectors with torch ones."""
    return base if variant == "onnx" else f"{base}+{variant}"


def cache_root() -> Path:
    """``$MISSIONGRAPH_CACHE_DIR/onnx`` (default ``~/.cache/missiongraph/onnx``)."""
    base = os.environ.get("MISSIONGRAPH_CACHE_DIR") or str(Path.home() / ".cache" / "missiongraph")
    return Path(base).expanduser() / "onnx"


def _folder_name(name: str, path: str) -> str:
    """A file-system-safe name for the model: the packaged name, or a folder's name + path hash."""
    if os.sep not in name and "/" not in name:
        return name
    return f"{Path(path).name}-{hashlib.sha1(path.encode()).hexdigest()[:8]}"


def _fingerprint(path: str, variant: str) -> str:
    """Changes when the model folder's files or the recipe change, so a stale export is redone."""
    parts = [f"recipe={RECIPE}", f"variant={variant}", f"opset={OPSET}"]
    root = Path(path)
    for f in sorted([*root.iterdir(), *(root / "1_Pooling").glob("*.json")]):
        if f.is_file() and f.suffix in {".json", ".safetensors", ".bin", ".txt", ".model"}:
            st = f.stat()
            parts.append(f"{f.relative_to(root)}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:12]


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


def _publish(write, target: Path) -> None:
    """Write ``target`` through a temporary file beside it, then rename: readers never see half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".onnx")
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)   # mkstemp makes it private; the cache is readable like any other
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    for old in target.parent.glob("model-*.onnx"):  # earlier recipes or model versions
        if old != target:
            try:
                old.unlink()
            except OSError:
                pass


def export(name: str, path: str, variant: str, root: Path | None = None) -> Path:
    """The cached ONNX file for the model folder ``path`` and ``variant``, exporting it if needed."""
    if variant not in VARIANTS:
        raise ConfigError(f"unknown onnx variant {variant!r}; use one of {', '.join(VARIANTS)}", input=variant)
    root = root or cache_root()
    target = root / f"{_folder_name(name, path)}-{variant}" / f"model-{_fingerprint(path, variant)}.onnx"
    if target.is_file():
        return target
    _publish(lambda tmp: _make(path, variant, tmp), target)
    return target


# -- making the files (torch and transformers are needed here only) ---------------------------
def _make(path: str, variant: str, out: str) -> None:
    """Export the model with torch, turn it into ``variant``, and keep it only if it agrees with
    torch on the probe sentences (fp32: cosine >= FP32_MIN_COSINE; int8: a looser sanity floor).

    fp32 gets onnxruntime's BERT fusions (one Attention op per layer, SkipLayerNorm, BiasGelu),
    falling back to the plain graph if they do not reproduce torch.  int8 quantises the plain
    graph: quantised after fusion it ran ~5% slower for the same cosine (2 cores)."""
    cfg = model_config(path)
    with tempfile.TemporaryDirectory() as tmp:
        raw, probe, want = _torch_export(path, cfg, os.path.join(tmp, "raw.onnx"))
        if variant == "onnx":
            candidates, floor = [_fused(raw, cfg, os.path.join(tmp, "fused.onnx")), raw], FP32_MIN_COSINE
        else:
            candidates, floor = [_quantize(raw, os.path.join(tmp, "int8.onnx"))], INT8_MIN_COSINE
        worst = 1.0
        for file in [c for c in candidates if c]:
            cos = _cosine(_run_file(file, probe), want).min()
            if cos >= floor:
                shutil.copyfile(file, out)
                return
            worst = min(worst, float(cos))
    raise ConfigError(f"the {variant} export of {path} does not reproduce the torch vectors (cosine {worst:.5f} "
                      f"< {floor}); use encoder torch", input=path)


def _torch_export(path: str, cfg: dict, out: str) -> tuple[str, dict, np.ndarray]:
    """torch.onnx.export (TorchScript exporter) of encoder + mean pooling, dynamic batch and
    length; returns the file, the probe inputs and torch's pooled vectors for them."""
    settings.offline()
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    try:
        model = AutoModel.from_pretrained(path, local_files_only=True, attn_implementation="eager").eval()
    except Exception as e:
        raise ConfigError(f"cannot load {path} for the onnx export: {e}", input=path) from e
    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if _takes_token_types(model) else [])
    wrapper = _pooled(model, "token_type_ids" in names)
    probe = _batch(load_tokenizer(path, cfg["max_seq_length"]), _PROBES, names)
    with torch.no_grad():
        want = wrapper(*(torch.from_numpy(probe[n]) for n in names)).numpy()
    dummy = tuple(torch.from_numpy(probe[n][:2, :8].copy()) for n in names)
    axes = {n: {0: "batch", 1: "sequence"} for n in names} | {"embedding": {0: "batch"}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer notes on shape arithmetic that is constant here
        torch.onnx.export(wrapper, dummy, out, input_names=names, output_names=["embedding"],
                          dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True, dynamo=False)
    return out, probe, want


def _fused(raw: str, cfg: dict, out: str) -> str | None:
    """onnxruntime's transformer fusions; None when the optimizer does not know the architecture."""
    if cfg["model_type"] not in {"bert", "roberta", "distilbert", "xlm-roberta", "mpnet"}:
        return None
    try:
        from onnxruntime.transformers.optimizer import optimize_model

        model = optimize_model(raw, model_type="bert", num_heads=cfg["num_heads"], hidden_size=cfg["hidden_size"],
                               opt_level=0)
        model.save_model_to_file(out)
    except Exception:  # noqa: BLE001 - the unfused graph is still correct, only slower
        return None
    return out


def _quantize(raw: str, out: str) -> str:
    """Dynamic int8 quantisation of the weights, one scale per output channel: one scale per
    tensor (the default) lost far more (mean cosine to fp32 ~0.95 against ~0.994 on Council text)."""
    import logging

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # quantize_dynamic logs a pre-processing hint on every call
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            quantize_dynamic(raw, out, weight_type=QuantType.QInt8, per_channel=True,
                             extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    finally:
        root.setLevel(level)
    return out


def _takes_token_types(model) -> bool:
    import inspect

    return "token_type_ids" in inspect.signature(model.forward).parameters and \
        int(getattr(model.config, "type_vocab_size", 0) or 0) > 0


def _pooled(model, token_types: bool):
    """The model wrapped so its output is the pooled sentence vector (built here: torch is imported late)."""
    import torch

    class Pooled(torch.nn.Module):
        """The transformer's last hidden state, mean-pooled over real tokens (sentence-transformers' Pooling)."""

        def __init__(self, model, token_types: bool):
            super().__init__()
            self.model, self.token_types = model, token_types

        def forward(self, input_ids, attention_mask, token_type_ids=None):
            kw = {"token_type_ids": token_type_ids} if self.token_types else {}
            hidden = self.model(input_ids=input_ids, attention_mask=attention_mask, **kw)[0]
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

    return Pooled(model, token_types)


# -- running ---------------------------------------------------------------------------------
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


def _batch(tokenizer, texts: list[str], names: list[str]) -> dict[str, np.ndarray]:
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


def _run_file(file: str, feed: dict) -> np.ndarray:
    sess = _session(file, 1)
    return sess.run(None, {i.name: feed[i.name] for i in sess.get_inputs()})[0]


def _cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
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
        n = 0 if threads is None else max(1, min(int(threads), os.cpu_count() or 1))
        sess = self.session(n)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        step = max(1, batch_size)
        for i in range(0, len(order), step):
            rows = order[i:i + step]
            out[rows] = sess.run(None, _pad([encodings[r] for r in rows], self.input_names))[0]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out
