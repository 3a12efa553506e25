#!/usr/bin/env python3
"""The batched tf-idf peer of `papermailer rank --profiles`, for the rank command bench.

What a capable engineer would write with scikit-learn to rank many keyword profiles at once: one TfidfVectorizer
fitted on the papers' title and abstract, every profile's keywords as one query, one sparse matrix product
(profiles x papers), the best `top` papers per profile. A paper containing every word of one of the profile's
exclusions is left out. Prints one JSON line per profile, in input order, shaped like the command's:
{"id": ..., "results": [{"id", "title", "score"}, ...]}; tf-idf has no explanations to print, so the results carry
no "matched"/"where" (less to write than the command writes).

Usage: tfidf_peer.py PAPERS.json PROFILES.jsonl TOP > results.jsonl
Needs Debian's python3-sklearn (it brings numpy and scipy).
"""
import json
import sys

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

ROWS_PER_CHUNK = 8192  # rows of the score matrix made dense at a time, to pick the top papers with numpy


def read_papers(path):
    """The Hugging Face daily_papers listing, or a plain array of {id, title, abstract}."""
    with open(path, encoding="utf-8") as f:
        items = json.load(f)
    papers = [item.get("paper", item) for item in items]
    return [(p["id"], p["title"], p.get("summary") or p.get("abstract") or "") for p in papers]


def read_profiles(path):
    ids, queries, exclusions = [], [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            profile = json.loads(line)
            if profile.get("topics"):
                sys.exit("tfidf_peer.py: topics are not supported; write the keywords out.")
            ids.append(profile["id"])
            queries.append(" ".join(profile.get("keywords") or []))
            exclusions.append(profile.get("exclude") or [])
    return ids, queries, exclusions


def excluded_mask(vectorizer, presence, exclusions):
    """profiles x papers, True where a paper contains every word of one of the profile's exclusions."""
    mask = np.zeros((len(exclusions), presence.shape[0]), dtype=bool)
    for j in range(max((len(e) for e in exclusions), default=0)):
        rows = [i for i, e in enumerate(exclusions) if len(e) > j]
        terms = vectorizer.transform([exclusions[i][j] for i in rows])
        terms.data[:] = 1
        words = np.asarray(terms.sum(axis=1)).ravel()
        found = (terms @ presence.T).toarray()
        hit = (found == words[:, None]) & (words[:, None] > 0)
        mask[rows] |= hit
    return mask


def main():
    papers_path, profiles_path, top = sys.argv[1], sys.argv[2], int(sys.argv[3])
    papers = read_papers(papers_path)
    ids, queries, exclusions = read_profiles(profiles_path)

    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    paper_vectors = vectorizer.fit_transform([f"{title} {text}" for _, title, text in papers])
    profile_vectors = vectorizer.transform(queries)
    scores = (profile_vectors @ paper_vectors.T).tocsr()  # the one sparse matrix product
    presence = paper_vectors.copy()
    presence.data[:] = 1
    excluded = excluded_mask(vectorizer, presence, exclusions)

    # Each result's text up to its score, escaped once per paper instead of once per line.
    heads = [f'{{"id":{json.dumps(pid)},"title":{json.dumps(title, ensure_ascii=False)},"score":' for pid, title, _ in papers]
    take = min(top, len(papers))
    out = sys.stdout
    for start in range(0, len(ids), ROWS_PER_CHUNK):
        block = scores[start:start + ROWS_PER_CHUNK].toarray()
        block[excluded[start:start + ROWS_PER_CHUNK]] = 0
        best = np.sort(np.argpartition(-block, take - 1, axis=1)[:, :take], axis=1)
        values = np.take_along_axis(block, best, axis=1)
        # Best first, ties to the earlier paper (a stable sort of papers already in paper order).
        order = np.argsort(-values, axis=1, kind="stable")
        best = np.take_along_axis(best, order, axis=1).tolist()
        values = np.round(np.take_along_axis(values, order, axis=1), 4).tolist()
        lines = []
        for pid, row_papers, row_values in zip(ids[start:start + ROWS_PER_CHUNK], best, values):
            results = ",".join([f"{heads[p]}{v}}}" for p, v in zip(row_papers, row_values) if v > 0])
            lines.append(f'{{"id":{json.dumps(pid)},"results":[{results}]}}\n')
        out.write("".join(lines))


if __name__ == "__main__":
    main()
