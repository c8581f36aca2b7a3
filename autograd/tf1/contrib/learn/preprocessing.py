"""tf.contrib.learn.preprocessing.VocabularyProcessor: documents to padded id sequences,
as the text-classification tutorials used it (id 0 is padding and unknown words)."""
import re

import numpy as np

TOKENIZER_RE = re.compile(r"[A-Z]{2,}(?![a-z])|[A-Z][a-z]+(?=[A-Z])|[\'\w\-]+", re.UNICODE)


def tokenizer(iterator):
    for value in iterator:
        yield TOKENIZER_RE.findall(value)


class CategoricalVocabulary:
    """Words to ids, 0 for <UNK>; frozen once fitting ends."""

    def __init__(self, unknown_token="<UNK>"):
        self._mapping = {unknown_token: 0}
        self._freq = {}
        self._unknown = unknown_token
        self._frozen = False

    def __len__(self):
        return len(self._mapping)

    def get(self, category):
        if category not in self._mapping:
            if self._frozen:
                return 0
            self._mapping[category] = len(self._mapping)
        return self._mapping[category]

    def add(self, category, count=1):
        self._freq[category] = self._freq.get(category, 0) + count
        self.get(category)

    def trim(self, min_frequency, max_frequency=-1):
        kept = [w for w, c in sorted(self._freq.items(), key=lambda kv: (-kv[1], kv[0]))
                if c > min_frequency and (max_frequency <= 0 or c < max_frequency)]
        self._mapping = {self._unknown: 0}
        for word in kept:
            self._mapping[word] = len(self._mapping)

    def freeze(self, freeze=True):
        self._frozen = freeze

    def reverse(self, class_id):
        for word, index in self._mapping.items():
            if index == class_id:
                return word
        raise ValueError(f"no word has id {class_id}")


class VocabularyProcessor:
    """fit / transform / fit_transform: each document becomes `max_document_length` ids
    (padded with 0, cut at the end)."""

    def __init__(self, max_document_length, min_frequency=0, vocabulary=None,
                 tokenizer_fn=None):
        self.max_document_length = int(max_document_length)
        self.min_frequency = min_frequency
        self.vocabulary_ = vocabulary or CategoricalVocabulary()
        self._tokenizer = tokenizer_fn or tokenizer

    def fit(self, raw_documents, unused_y=None):
        for tokens in self._tokenizer(raw_documents):
            for token in tokens:
                self.vocabulary_.add(token)
        if self.min_frequency > 0:
            self.vocabulary_.trim(self.min_frequency)
        self.vocabulary_.freeze()
        return self

    def fit_transform(self, raw_documents, unused_y=None):
        documents = list(raw_documents)
        self.fit(documents)
        return self.transform(documents)

    def transform(self, raw_documents):
        for tokens in self._tokenizer(raw_documents):
            ids = np.zeros(self.max_document_length, np.int64)
            for index, token in enumerate(tokens[:self.max_document_length]):
                ids[index] = self.vocabulary_.get(token)
            yield ids

    def reverse(self, documents):
        for ids in documents:
            yield " ".join(self.vocabulary_.reverse(i) for i in ids)
