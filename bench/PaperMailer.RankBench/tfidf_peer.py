#!/usr/bin/env python3
"""The batched tf-idf peer of `papermailer rank --profiles`, for the rank command bench.

What a capable engineer would write with scikit-learn to rank many keyword profiles at once: one TfidfVectorizer
fitted on the papers' title and abstract, every profile's keywords as one query, one sparse matrix product
(profiles x papers), the best `top` papers per profile. A paper containing every word of one of the profile's
exclusions is left out. Prints one JSON line per profile, in input order, shaped like the command's:
{"id": ..., "results": [{"id", "title", "score"}, ...]}.

With --explain each result also carries the command's explanations, found with the vectorizer's own analyser:
"relevance" (the score), "matched" (keywords all of whose words the paper has), "partly" (the words it has of the
others) and "where" (per keyword found: in the title, in the abstract, and the words of a partial match) -- the lines
the command prints, so both programs write about as much. Without it the lines stop at the score (about 40% of the
bytes).

Usage: tfidf_peer.py [--explain] PAPERS.json PROFILES.jsonl TOP > results.jsonl
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
    ids, queries, exclusions, keywords = [], [], [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            profile = json.loads(line)
            if profile.get("topics"):
                sys.exit("tfidf_peer.py: topics are not supported; write the keywords out.")
            ids.append(profile["id"])
            keywords.append(profile.get("keywords") or [])
            queries.append(" ".join(keywords[-1]))
            exclusions.append(profile.get("exclude") or [])
    return ids, queries, exclusions, keywords


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


class Explanations:
    """Each (keyword, paper) pair's explanation, worked out with sparse products once per keyword and cached as text."""

    def __init__(self, vectorizer, papers, keywords):
        analyse = vectorizer.build_analyzer()
        self.index = {k: i for i, k in enumerate(dict.fromkeys(k for ks in keywords for k in ks))}
        names = list(self.index)
        self.words = [sorted(set(analyse(k))) for k in names]
        vocabulary = vectorizer.vocabulary_
        self.terms = vectorizer.get_feature_names_out()
        rows, cols = [], []
        for i, words in enumerate(self.words):
            for w in words:
                if w in vocabulary:
                    rows.append(i)
                    cols.append(vocabulary[w])
        from scipy.sparse import csr_matrix
        keyword_terms = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(names), len(self.terms)))
        title = vectorizer.transform([t for _, t, _ in papers])
        abstract = vectorizer.transform([a for _, _, a in papers])
        title.data[:] = 1
        abstract.data[:] = 1
        either = ((title + abstract) > 0).astype(np.float64)
        self.in_title = (keyword_terms @ title.T).toarray()
        self.in_abstract = (keyword_terms @ abstract.T).toarray()
        self.found = (keyword_terms @ either.T).toarray()
        self.keyword_terms = keyword_terms.tocsr()
        self.either = either.tocsc()
        self.names = [json.dumps(k, ensure_ascii=False) for k in names]
        self.cache = {}

    def pair(self, k, p):
        """(where entry, matched keyword or None, partly words) as JSON text, or None when the paper has none of its words."""
        key = (k, p)
        if key in self.cache:
            return self.cache[key]
        found = self.found[k, p]
        entry = None
        if found > 0:
            where = f'{{"keyword":{self.names[k]},"title":{"true" if self.in_title[k, p] else "false"},"abstract":{"true" if self.in_abstract[k, p] else "false"}'
            if found >= len(self.words[k]):
                entry = (where + "}", self.names[k], [])
            else:
                start, end = self.keyword_terms.indptr[k], self.keyword_terms.indptr[k + 1]
                column = self.either[:, self.keyword_terms.indices[start:end]][p].toarray().ravel()
                words = [json.dumps(str(self.terms[t])) for t, has in zip(self.keyword_terms.indices[start:end], column) if has]
                entry = (where + f',"partly":"{" ".join(json.loads(w) for w in words)}"}}', None, words)
        self.cache[key] = entry
        return entry

    def text(self, profile_keywords, p):
        wheres, matched, partly = [], [], []
        for keyword in profile_keywords:
            entry = self.pair(self.index[keyword], p)
            if entry is None:
                continue
            wheres.append(entry[0])
            if entry[1] is not None:
                matched.append(entry[1])
            partly.extend(entry[2])
        return f',"matched":[{",".join(matched)}],"partly":[{",".join(partly)}],"where":[{",".join(wheres)}]'


def main():
    explain = "--explain" in sys.argv
    arguments = [a for a in sys.argv[1:] if a != "--explain"]
    papers_path, profiles_path, top = arguments[0], arguments[1], int(arguments[2])
    papers = read_papers(papers_path)
    ids, queries, exclusions, keywords = read_profiles(profiles_path)

    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    paper_vectors = vectorizer.fit_transform([f"{title} {text}" for _, title, text in papers])
    profile_vectors = vectorizer.transform(queries)
    scores = (profile_vectors @ paper_vectors.T).tocsr()  # the one sparse matrix product
    presence = paper_vectors.copy()
    presence.data[:] = 1
    excluded = excluded_mask(vectorizer, presence, exclusions)
    explanations = Explanations(vectorizer, papers, keywords) if explain else None

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
        for row, (pid, row_papers, row_values) in enumerate(zip(ids[start:start + ROWS_PER_CHUNK], best, values)):
            if explanations is None:
                results = ",".join([f"{heads[p]}{v}}}" for p, v in zip(row_papers, row_values) if v > 0])
            else:
                profile_keywords = keywords[start + row]
                results = ",".join([f'{heads[p]}{v},"relevance":{v}{explanations.text(profile_keywords, p)}}}'
                                    for p, v in zip(row_papers, row_values) if v > 0])
            lines.append(f'{{"id":{json.dumps(pid)},"results":[{results}]}}\n')
        out.write("".join(lines))


if __name__ == "__main__":
    main()
