"""Reference for `churn.telco.auc`: scikit-learn's best 5-fold ROC AUC on the same table, over the models one
would try first — logistic regression (one-hot categoricals, standardised numerics, several penalties) and
histogram gradient boosting (a few settings). Blank numeric cells become the column's median. Usage:
churn_reference.py FILE.csv TARGET POSITIVE ID FOLDS_FILE (one fold number per data row, the folds Keepdesk
used); prints JSON {"auc": best, "model": name, "scores": {...}}."""
import csv
import json
import sys

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import PredefinedSplit, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

path, target, positive, id_column, folds_file = sys.argv[1:6]
with open(path, newline="", encoding="utf-8") as handle:
    rows = list(csv.reader(handle))
header, body = rows[0], rows[1:]
y = np.array([1 if row[header.index(target)] == positive else 0 for row in body])
features = [c for c in header if c not in (target, id_column)]


def numeric(values):
    try:
        [float(v) for v in values if v.strip() != ""]
        return True
    except ValueError:
        return False


columns = {c: [row[header.index(c)] for row in body] for c in features}
numeric_columns = [c for c in features if numeric(columns[c])]
categorical_columns = [c for c in features if c not in numeric_columns]
X = np.empty((len(body), len(features)), dtype=object)
for j, c in enumerate(features):
    X[:, j] = [float(v) if v.strip() != "" else np.nan for v in columns[c]] if c in numeric_columns else columns[c]
numeric_index = [features.index(c) for c in numeric_columns]
categorical_index = [features.index(c) for c in categorical_columns]


def linear(C):
    prepare = ColumnTransformer([
        ("numbers", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric_index),
        ("categories", OneHotEncoder(handle_unknown="ignore"), categorical_index),
    ])
    return make_pipeline(prepare, LogisticRegression(C=C, max_iter=5000))


def boosted(depth, rate):
    prepare = ColumnTransformer([
        ("numbers", "passthrough", numeric_index),
        ("categories", OneHotEncoder(handle_unknown="ignore", sparse_output=False), categorical_index),
    ])
    return make_pipeline(prepare, HistGradientBoostingClassifier(max_depth=depth, learning_rate=rate, random_state=0))


candidates = {
    **{f"logistic C={C}": linear(C) for C in (0.01, 0.1, 1.0, 10.0)},
    **{f"hist gradient boosting depth={d} rate={r}": boosted(d, r) for d in (3, 5) for r in (0.05, 0.1)},
}
with open(folds_file, encoding="utf-8") as handle:
    folds = PredefinedSplit([int(line) for line in handle if line.strip()])
scores = {name: float(np.mean(cross_val_score(model, X, y, cv=folds, scoring="roc_auc"))) for name, model in candidates.items()}
best = max(scores, key=scores.get)
print(json.dumps({"auc": scores[best], "model": best, "scores": scores}))
