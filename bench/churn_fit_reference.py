"""Reference for `churn.train.100k`: seconds scikit-learn takes to fit one HistGradientBoostingClassifier on the
same table, set like Keepdesk's first boosted candidate (depth 3, learning rate 0.05, at least 20 rows a leaf,
L2 1, early stopping on a tenth after 20 rounds without gain, at most 500 rounds), categories one-hot encoded.
Only the fit is timed, not reading or encoding. Usage: churn_fit_reference.py FILE.csv TARGET POSITIVE ID;
prints JSON {"seconds": s, "rounds": n}."""
import csv
import json
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.preprocessing import OneHotEncoder

path, target, positive, id_column = sys.argv[1:5]
with open(path, newline="", encoding="utf-8") as handle:
    rows = list(csv.reader(handle))
header, body = rows[0], rows[1:]
y = np.array([1 if row[header.index(target)] == positive else 0 for row in body])
features = [c for c in header if c not in (target, id_column)]


def numbers(values):
    try:
        return np.array([float(v) if v.strip() != "" else np.nan for v in values])
    except ValueError:
        return None


parts = []
for c in features:
    values = [row[header.index(c)] for row in body]
    column = numbers(values)
    if column is not None:
        parts.append(column.reshape(-1, 1))
    else:
        parts.append(OneHotEncoder(sparse_output=False).fit_transform(np.array(values).reshape(-1, 1)))
X = np.hstack(parts)
model = HistGradientBoostingClassifier(
    max_depth=3,
    learning_rate=0.05,
    min_samples_leaf=20,
    l2_regularization=1.0,
    max_iter=500,
    early_stopping=True,
    validation_fraction=0.1,
    n_iter_no_change=20,
    random_state=0,
)
started = time.perf_counter()
model.fit(X, y)
print(json.dumps({"seconds": time.perf_counter() - started, "rounds": int(model.n_iter_)}))
