"""Making the ONNX files the onnx encoders run: exported from the local model folder with
torch (nothing is downloaded), checked against torch, cached where every process finds them.

Cache: ``$MISSIONGRAPH_CACHE_DIR/onnx/<model>-<variant>/model-<fingerprint>.onnx`` (default
``~/.cache/missiongraph``).  The fingerprint covers the model folder's files and the recipe, so a
new model version or recipe makes a new file; each file is written to a temporary name beside
it and renamed, so a process never opens half a file, and two that export at once both end
with a whole one.  torch and transformers are imported only while a file is made.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import warnings
from pathlib import Path

import numpy as np

from missiongraph import settings
from missiongraph.errors import ConfigError
from search.onnx_encoder import VARIANTS, batch_inputs, cosine, load_tokenizer, model_config, run_file

RECIPE = 3          # bump when the export recipe changes: cached files of another recipe are rebuilt
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
            cos = cosine(run_file(file, probe), want).min()
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
    probe = batch_inputs(load_tokenizer(path, cfg["max_seq_length"]), _PROBES, names)
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
    """Dynamic int8 quantisation of the weights, one scale per output channel, except each layer's
    feed-forward down-projection, which stays fp32.

    Measured on the bench-quality store (12,682 passages, cosine to torch): one scale per tensor
    (the default) gave a mean of ~0.95; per channel everywhere, mean 0.993 but min 0.946 and
    dev nDCG@10 -0.0065; with the six down-projections in fp32, mean 0.997, min 0.979, nDCG
    within 0.005 of torch on both query sets, for ~25% less speed than all-int8.
    """
    import logging

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    keep = [n.name for n in onnx.load(raw).graph.node  # e.g. /model/encoder/layer.3/output/dense/MatMul
            if n.op_type == "MatMul" and "/output/dense/" in n.name and "attention" not in n.name]

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # quantize_dynamic logs a pre-processing hint on every call
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            quantize_dynamic(raw, out, weight_type=QuantType.QInt8, per_channel=True, nodes_to_exclude=keep,
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
