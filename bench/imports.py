"""``python -m bench imports``: the roster (花名册) import and the unit import at city scale (issue 12).

For each size N, in a database of its own (``--database``, default zhishu_imports_bench), side by side and
in the same run: reading the .xlsx alone (openpyxl read-only, the read limit), the project's dry-run
(read_table + roster_import_preview: validation and preview), the real import (+ roster_import_apply,
rolled back after each run so every run creates the same N people), and PostgreSQL ``COPY`` of the same
rows into a scratch table (the write limit); their queries and the peak RSS after each; the same for a
units .xlsx of N units (read_table + units_import). The files are laid out like /work/shared/data/
(a merged title, 填报单位, the header on row 3, the data, a blank row, 填表说明). Each size is prepared
(units seeded, files written) in one child process and measured in another, so that the peak RSS is the
import's. The upload caps (ZHISHU_IMPORT_MAX_ROWS 20,000, 10 MB) are raised for the 100k files.
"""
import datetime as dt
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time

from .db import bench_url, ensure_database, use_database
from .sizes import ROOT, count_queries, peak_rss_mb
from .stats import measure, table

ROSTER_HEADERS = ("序号", "姓名", "性别", "民族", "出生年月", "公民身份号码", "学历", "入党时间", "所在党组织",
                  "组织代码", "职务", "任职时间", "产生方式", "是否专职", "是否双带头人", "联系电话", "备注")
UNIT_HEADERS = ("组织代码", "组织名称", "层级", "上级组织代码", "领域")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国志红春生玉梅海波德宏斌辉鹏飞文"
EDUCATION = ("中专", "大专", "高中", "大学本科", "研究生", "初中")
METHODS = ("公推直选", "选举", "上级党组织任命", "两推一选", "选派")
ETHNIC = ("汉族",) * 8 + ("土家族", "回族")
CITY = "4307"


def branch_code(i: int) -> str:
    """Branch i of the roster's tree: 100 branches a township, 100 townships a county."""
    return f"{CITY}{i // 10_000:02d}{(i // 100) % 100:03d}{i % 100:03d}"


def _id_number(rng: random.Random, seq: int) -> tuple[str, dt.date, str]:
    from stdnum.cn import ric

    birth = dt.date(1965, 1, 1) + dt.timedelta(days=seq % 12_000)
    gender = "男" if rng.random() < 0.7 else "女"
    order = (seq // 12_000) * 2 % 1000 + (1 if gender == "男" else 0)
    body = f"430721{birth:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0"), birth, gender


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_head(sheet, title: str, width: int):
    from openpyxl.worksheet.cell_range import CellRange

    sheet.append([title] + [None] * (width - 1))
    sheet.append(["填报单位（盖章）：中共示范市委组织部"] + [None] * (width - 1))
    return CellRange(min_row=1, min_col=1, max_row=1, max_col=width)


def roster_xlsx(n: int, seed: int) -> bytes:
    """N secretaries, one per branch of the seeded tree, in the counties' layout (see the sample file)."""
    import openpyxl

    rng = random.Random(seed)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    _sheet_head(sheet, "示范市党支部书记花名册（截至2026年10月31日）", len(ROSTER_HEADERS))
    sheet.append(list(ROSTER_HEADERS))
    for i in range(n):
        number, birth, gender = _id_number(rng, i)
        joined = birth.replace(year=birth.year + rng.randint(20, 30), day=1)
        start = dt.date(rng.randint(2018, 2025), rng.randint(1, 12), 1)
        sheet.append([
            i + 1, rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))), gender,
            rng.choice(ETHNIC), f"{birth:%Y.%m}", number, rng.choice(EDUCATION), f"{joined:%Y.%m}",
            f"第{i}村党支部", branch_code(i), "党支部书记", f"{start:%Y.%m}", rng.choice(METHODS),
            rng.choice("是否"), rng.choice("否否否否是"), f"1{rng.randint(3_000_000_000, 9_999_999_999)}", None,
        ])
    sheet.append([])
    sheet.append(["填表说明：1.出生年月、入党时间、任职时间按“1980.01”格式填写；2.公民身份号码填写18位，末位X大写。"])
    return _save(workbook)


def units_rows(n: int, root: str = "9901") -> list[tuple]:
    """N units of a new city tree: the city, then counties of 10 townships of 100 branches each."""
    def tree():
        for c in range(100):
            county = f"{root}{c:02d}"
            yield county, f"第{c + 1}县委", "county", root, "机关"
            for t in range(10):
                township = f"{county}{t:03d}"
                yield township, f"{county}第{t + 1}镇党委", "township", county, "机关"
                for b in range(100):
                    yield f"{township}{b:03d}", f"{township}第{b + 1}村党支部", "branch", township, "农村"

    rows = [(root, "新示范市委", "city", "", "机关")]
    for row in tree():
        if len(rows) >= n:
            break
        rows.append(row)
    return rows


def units_xlsx(rows: list[tuple]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("组织")
    sheet.append(list(UNIT_HEADERS))
    for r in rows:
        sheet.append(list(r))
    return _save(workbook)


def _files(n: int, seed: int) -> tuple[str, str]:
    folder = os.path.join(tempfile.gettempdir(), "zhishu_imports_bench")
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, f"roster-{n}-{seed}.xlsx"), os.path.join(folder, f"units-{n}.xlsx")


def _raise_caps() -> None:
    os.environ["ZHISHU_IMPORT_MAX_ROWS"] = str(10_000_000)
    os.environ["ZHISHU_UPLOAD_MAX_BYTES"] = str(1 << 30)
    os.environ["ZHISHU_IMPORT_MAX_UNCOMPRESSED_BYTES"] = str(1 << 32)


def prepare(args, n: int) -> None:
    """Seed the roster's units (branches 0..N-1 of the city tree; reused) and write both files (reused)."""
    from core.choices import Role
    from core.models import OrgUnit, User
    from core.services.orgunits import org_units_import

    have = set(OrgUnit.objects.filter(code__startswith=CITY).values_list("code", flat=True))
    rows, seen = [], set(have)

    def add(code, name, level, parent):
        if code not in seen:
            seen.add(code)
            rows.append({"row": len(rows) + 2, "code": code, "name": name, "level": level, "parent_code": parent,
                         "sector": "机关" if level != "branch" else "农村"})

    add(CITY, "示范市委", "city", "")
    for i in range(n):
        code = branch_code(i)
        county, township = code[:6], code[:9]
        add(county, f"第{county}县委", "county", CITY)
        add(township, f"{township}镇党委", "township", county)
        add(code, f"第{i}村党支部", "branch", township)
    if rows:
        started = time.perf_counter()
        created, errors = org_units_import(rows=rows)
        assert not errors, errors[:3]
        print(f"  seeded {len(created):,} units in {time.perf_counter() - started:.1f} s")
    if not User.objects.filter(username="bench_city_staff").exists():
        User.objects.create_user(username="bench_city_staff", password=None, role=Role.STAFF,
                                 unit=OrgUnit.objects.get(code=CITY))
    roster_path, units_path = _files(n, args.seed)
    if not os.path.exists(roster_path):
        with open(roster_path, "wb") as fh:
            fh.write(roster_xlsx(n, args.seed))
    if not os.path.exists(units_path):
        with open(units_path, "wb") as fh:
            fh.write(units_xlsx(units_rows(n)))


class _Rollback(Exception):
    pass


def _rolled_back(fn):
    """Run ``fn`` in a transaction that is rolled back: every run writes the same rows into the same state."""
    from django.db import transaction

    def run():
        out = None
        try:
            with transaction.atomic():
                out = fn()
                raise _Rollback
        except _Rollback:
            pass
        return out
    return run


def _copy_text(value) -> str:
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy(rows: list[tuple], columns: int, name: str):
    """PostgreSQL COPY of the rows (already in memory, as text) into an unlogged scratch table."""
    from django.db import connection

    scratch = f"bench_import_scratch_{name}"

    def run():
        buffer = io.StringIO()
        for r in rows:
            cells = (tuple(r) + (None,) * columns)[:columns]
            buffer.write("\t".join("\\N" if v is None else _copy_text(v) for v in cells))
            buffer.write("\n")
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {scratch}")
            cursor.cursor.copy_expert(f"COPY {scratch} FROM STDIN", buffer)
        return len(rows)

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {scratch}")
        cursor.execute(f"CREATE UNLOGGED TABLE {scratch} ("
                       + ", ".join(f"c{i} text" for i in range(columns)) + ")")
    return run


def _read_only(data: bytes):
    import openpyxl

    def run():
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = [r for r in workbook.worksheets[0].iter_rows(values_only=True)]
        workbook.close()
        return rows
    return run


def measure_size(args, n: int) -> dict:
    from core.models import User
    from cadres.imports.readers import KIND_ROSTER, KIND_UNITS, read_table
    from cadres.imports.roster import roster_import_apply, roster_import_preview
    from cadres.imports.units import units_import

    roster_path, units_path = _files(n, args.seed)
    with open(roster_path, "rb") as fh:
        roster = fh.read()
    with open(units_path, "rb") as fh:
        units = fh.read()
    user = User.objects.select_related("unit").get(username="bench_city_staff")
    superuser = User(username="manage.py", is_superuser=True, is_active=True)
    out = {"rows": n, "roster_bytes": len(roster), "units_bytes": len(units)}

    def dry_run():
        preview = roster_import_preview(user=user, rows=read_table(roster, filename="r.xlsx", kind=KIND_ROSTER))
        assert preview.errors == [], preview.errors[:3]
        return len(preview.plans)

    def real():
        preview = roster_import_preview(user=user, rows=read_table(roster, filename="r.xlsx", kind=KIND_ROSTER))
        return roster_import_apply(user=user, preview=preview)["people_created"]

    def units_dry():
        created, errors = units_import(user=superuser, table=read_table(units, filename="u.xlsx", kind=KIND_UNITS),
                                       dry_run=True)
        assert errors == [], errors[:3]
        return len(created)

    def units_real():
        created, errors = units_import(user=superuser, table=read_table(units, filename="u.xlsx", kind=KIND_UNITS))
        return len(created)

    read = _read_only(roster)
    values = [r for r in read()[3:] if r and r[0] is not None and isinstance(r[0], int)]
    read_units = _read_only(units)
    unit_values = read_units()[1:]
    steps = [
        ("roster: read .xlsx (openpyxl read-only)", read),
        ("roster: dry-run (read + validate + preview)", dry_run),
        ("roster: import (+ bulk writes, rolled back)", _rolled_back(real)),
        ("roster: COPY of the rows (write limit)", _copy(values, len(ROSTER_HEADERS), "roster")),
        ("units: read .xlsx (openpyxl read-only)", read_units),
        ("units: dry-run (units_import dry_run)", units_dry),
        ("units: import (rolled back)", _rolled_back(units_real)),
        ("units: COPY of the rows (write limit)", _copy(unit_values, len(UNIT_HEADERS), "units")),
    ]
    for name, fn in steps:
        queries, _ = count_queries(fn)  # the warm-up run, its statements counted
        timing = measure(name, n, fn, args.runs, warm=False)
        out[name] = {"ms": timing.median, "runs": timing.runs, "queries": queries, "peak_rss_mb": peak_rss_mb()}
        print(f"  {name}: {timing.median / 1000:.2f} s, {queries} queries, peak RSS {peak_rss_mb():.0f} MB",
              flush=True)
    return out


def child(args) -> None:
    _raise_caps()
    url = bench_url(args.database)
    ensure_database(url)
    use_database(url)
    [n] = args.rows
    if args.phase == "prepare":
        prepare(args, n)
        return
    result = measure_size(args, n)
    with open(args.json, "w") as fh:
        json.dump(result, fh)


def main(args) -> None:
    if args.child:
        child(args)
        return
    args.database = args.database or "zhishu_imports_bench"
    bench_url(args.database)  # PostgreSQL only
    results = []
    for n in args.rows:
        print(f"== {n:,} rows ==", flush=True)
        base = [sys.executable, "-m", "bench", "imports", "--rows", str(n), "--runs", str(args.runs),
                "--seed", str(args.seed), "--database", args.database, "--child"]
        subprocess.run([*base, "--phase", "prepare"], check=True, cwd=ROOT)
        fd, path = tempfile.mkstemp(suffix=".json")
        os.close(fd)
        try:
            subprocess.run([*base, "--phase", "measure", "--json", path], check=True, cwd=ROOT)
            with open(path) as fh:
                results.append(json.load(fh))
        finally:
            os.unlink(path)
    print()
    for r in results:
        n = r["rows"]
        print(f"== {n:,} rows (roster {r['roster_bytes'] / 1e6:.1f} MB, units {r['units_bytes'] / 1e6:.1f} MB), "
              f"medians of {args.runs} runs ==")
        rows = []
        for kind in ("roster", "units"):
            names = [k for k in r if isinstance(r[k], dict) and k.startswith(kind)]
            read_ms = r[names[0]]["ms"]
            copy_ms = r[names[3]]["ms"]
            for name in names:
                f = r[name]
                rows.append([name, f"{f['ms'] / 1000:.2f}", f"{n * 1000 / f['ms']:,.0f}", f"{f['queries']:,}",
                             f"{f['peak_rss_mb']:.0f}", f"{f['ms'] / read_ms:.2f}×", f"{f['ms'] / copy_ms:.1f}×"])
        print(table(["step", "s", "rows/s", "queries", "peak RSS MB", "÷ read", "÷ COPY"], rows))
        print()
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, ensure_ascii=False, indent=1)
