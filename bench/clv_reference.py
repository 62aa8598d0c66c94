"""Reference for `clv.fit.cdnow`: the BG/NBD and Gamma-Gamma likelihoods written with NumPy and maximised by
SciPy's Nelder-Mead over the parameters' logarithms, from the same starting points as Keepdesk. Reads the
customers as JSON lines on stdin ([frequency, recency, T, monetary]), prints the median seconds of five fits
and the parameters as JSON."""
import json
import sys
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln

rows = np.array([json.loads(line) for line in sys.stdin if line.strip()], dtype=float)
x, t_x, T, m = rows[:, 0], rows[:, 1], rows[:, 2], rows[:, 3]
repeat = (x > 0) & (m > 0)
xr, mr = x[repeat], m[repeat]


def bgnbd(log_params):
    r, alpha, a, b = np.exp(log_params)
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    common += gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    alive = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore"):
        gone = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + t_x), -np.inf)
    return -np.sum(common + np.logaddexp(alive, gone))


def gamma_gamma(log_params):
    p, q, g = np.exp(log_params)
    px = p * xr
    ll = gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(g) + (px - 1) * np.log(mr) + px * np.log(xr)
    ll -= (px + q) * np.log(g + mr * xr)
    return -np.sum(ll)


options = {"maxiter": 20000, "xatol": 1e-8, "fatol": 1e-8}
timings = []
for _ in range(5):
    started = time.perf_counter()
    first = minimize(bgnbd, np.log([1.0, max(T.mean(), 1e-3), 1.0, 1.0]), method="Nelder-Mead", options=options)
    second = minimize(gamma_gamma, np.log([1.0, 2.0, mr.mean()]), method="Nelder-Mead", options=options)
    timings.append(time.perf_counter() - started)
print(json.dumps({
    "seconds": float(np.median(timings)),
    "bgnbd": np.exp(first.x).tolist(),
    "logLikelihood": -float(first.fun),
    "gammaGamma": np.exp(second.x).tolist(),
}))
