"""Search quality on the judged query set (bench/search_queries.yaml): precision at 3 and nDCG
at 10, per query and on average. Public queries go through the local information search page
as a resident would use it; editors' queries through the editors' list.

    .venv/bin/python bench/search_quality.py --label after
        [--postgresql postgresql://postgres@127.0.0.1:5432/postgres]

On SQLite by default; with --postgresql, in a database made on that server (and dropped).
Writes bench/results/search_quality_<label>_<time>.md (..._<label>_postgresql_<time>.md).
"""

from __future__ import annotations

import argparse
import math
import platform
import re
import sys
from datetime import datetime
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_setup import ROOT, judged_app, postgresql_database  # noqa: E402

SERVICE_LINK = re.compile(r'href="/local-information/service/([^"/?]+)"')


def precision_at(ranked: list[str], grades: dict[str, int], k: int = 3) -> float:
    """Relevant services among the first k, over k (or over how many are relevant, when fewer:
    a query with one right answer scores 1 when it comes first)."""
    hits = sum(1 for sid in ranked[:k] if grades.get(sid, 0) > 0)
    return hits / min(k, len(grades))


def ndcg_at(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    def dcg(gains):
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    return dcg([grades.get(sid, 0) for sid in ranked[:k]]) / ideal if ideal else 0.0


def public_results(client, q: str, where: str) -> list[str]:
    page = client.get("/local-information/search", query_string={"q": q, "where": where})
    return SERVICE_LINK.findall(page.get_data(as_text=True))


def editors_results(q: str) -> list[str]:
    from mle.directory import editor_lists
    rows, _total = editor_lists.list_entries(editor_lists.Filters(q=q), 1)
    return [service.id for service, _reports in rows]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", default="run")
    parser.add_argument("--postgresql", metavar="SERVER_URL",
                        help="run on a database made on this PostgreSQL server")
    args = parser.parse_args()
    if args.postgresql:
        with postgresql_database(args.postgresql) as url:
            run(args, url, "PostgreSQL")
    else:
        run(args, None, "SQLite")


def run(args, database_url: str | None, database: str) -> None:
    from sqlalchemy import text

    from mle.database import db

    judged = yaml.safe_load((ROOT / "bench" / "search_queries.yaml").read_text())["queries"]
    app = judged_app(database_url=database_url)
    rows, p3s, ndcgs = [], [], []
    with app.app_context():
        client = app.test_client()
        for item in judged:
            grades = {str(k): v for k, v in item["relevant"].items()}
            if item.get("scope") == "editors":
                ranked = editors_results(item["q"])
            else:
                ranked = public_results(client, item["q"], item.get("where", ""))
            p3, ndcg = precision_at(ranked, grades), ndcg_at(ranked, grades)
            p3s.append(p3)
            ndcgs.append(ndcg)
            rows.append(f"| {item['q']} | {item.get('where', '')} | {item.get('scope', 'public')} "
                        f"| {len(ranked)} | {p3:.2f} | {ndcg:.2f} |")
        if database_url:
            database += " " + db.session.scalar(text("show server_version"))
        db.engine.dispose()
    mean_p3, mean_ndcg = sum(p3s) / len(p3s), sum(ndcgs) / len(ndcgs)
    stamp = datetime.now().strftime("%Y-%m-%dT%H%M")
    where = "_postgresql" if database_url else ""
    out = ROOT / "bench" / "results" / f"search_quality_{args.label}{where}_{stamp}.md"
    out.write_text("\n".join([
        f"# Search quality: {args.label}", "",
        f"- When: {datetime.now().isoformat(timespec='seconds')}",
        f"- Machine: {platform.node()}, Python {platform.python_version()}, {database}",
        "- Command: `.venv/bin/python bench/search_quality.py --label " + args.label
        + (f" --postgresql {args.postgresql}" if database_url else "") + "`",
        f"- Queries: {len(judged)} (bench/search_queries.yaml)", "",
        f"**Mean precision at 3: {mean_p3:.3f}. Mean nDCG at 10: {mean_ndcg:.3f}.**", "",
        "| query | place | scope | results on page 1 | P@3 | nDCG@10 |",
        "|---|---|---|---|---|---|", *rows, ""]))
    print(f"P@3 {mean_p3:.3f}  nDCG@10 {mean_ndcg:.3f}  -> {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
