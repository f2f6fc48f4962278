# SPDX-License-Identifier: MIT
"""patron from Python through ctypes and the stable C ABI (libpatron_c.so.1): no compiled extension.

Inputs are numpy arrays or plain sequences; outputs are numpy arrays when numpy is available
(and PATRON_NO_NUMPY is not set), lists otherwise. Every library failure raises PatronError
carrying the library's status and message, e.g.
  PatronError: [patron.out_of_range] patron_bgnbd_p_alive:2: x = "nan": must be a whole number >= 0

The library is found through $PATRON_C_LIBRARY (a path), else the system loader (libpatron_c.so.1).

    from patron_ctypes import BgNbd, GammaGamma, read_summary
    s = read_summary("cdnow_customers_summary_with_transactions.csv")
    bg = BgNbd.fit(s["x"], s["t_x"], s["T"])
    alive = bg.p_alive(s["x"], s["t_x"], s["T"])
"""
import ctypes
import os

try:
    if os.environ.get("PATRON_NO_NUMPY"):
        raise ImportError("disabled by PATRON_NO_NUMPY")
    import numpy as _np
except ImportError:
    _np = None

_c_double_p = ctypes.POINTER(ctypes.c_double)
_status = ctypes.c_int32


def _load():
    path = os.environ.get("PATRON_C_LIBRARY") or "libpatron_c.so.1"
    return ctypes.CDLL(path)


_lib = _load()


class PatronError(Exception):
    """A failed patron call: `status` is the C status code, `name` its catalogue name."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.name = _lib.patron_status_name(status).decode()


class FitReport(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_size_t), ("status", ctypes.c_int32), ("iterations", ctypes.c_int32),
                ("log_likelihood", ctypes.c_double), ("gradient_norm", ctypes.c_double),
                ("n_params", ctypes.c_size_t), ("params", ctypes.c_double * 4),
                ("std_errors", ctypes.c_double * 4), ("n_customers", ctypes.c_size_t),
                ("n_used", ctypes.c_size_t), ("n_excluded", ctypes.c_size_t)]


FIT_STATUS = {0: "converged", 1: "max_iterations", 2: "line_search_failed", 3: "boundary"}


def _declare(name, restype, *argtypes):
    f = getattr(_lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)


_declare("patron_version", ctypes.c_int32)
_declare("patron_version_string", ctypes.c_char_p)
_declare("patron_status_name", ctypes.c_char_p, _status)
_declare("patron_last_error", ctypes.c_char_p)
_declare("patron_fit_report_init", _status, ctypes.POINTER(FitReport))
_declare("patron_summary_read", _status, ctypes.c_char_p, ctypes.c_double, ctypes.POINTER(ctypes.c_void_p))
_declare("patron_summary_size", _status, ctypes.c_void_p, ctypes.POINTER(ctypes.c_size_t))
_declare("patron_summary_column", _status, ctypes.c_void_p, ctypes.c_int32, ctypes.POINTER(_c_double_p),
         ctypes.POINTER(ctypes.c_size_t))
_declare("patron_summary_id", _status, ctypes.c_void_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_char_p))
_declare("patron_summary_free", None, ctypes.c_void_p)

_PURCHASE_MODELS = ("bgnbd", "mbgnbd", "pnbd")
for _m in _PURCHASE_MODELS + ("gamma_gamma",):
    _h = ctypes.c_void_p
    _out = ctypes.POINTER(ctypes.c_void_p)
    if _m == "gamma_gamma":
        _declare("patron_gamma_gamma_new", _status, _c_double_p, ctypes.c_size_t, _out)
        _declare("patron_gamma_gamma_fit", _status, _c_double_p, _c_double_p, ctypes.c_size_t, ctypes.c_void_p,
                 _out, ctypes.POINTER(FitReport))
        _declare("patron_gamma_gamma_params", _status, _h, _c_double_p, ctypes.c_size_t)
        _declare("patron_gamma_gamma_expected_spend", _status, _h, _c_double_p, _c_double_p, ctypes.c_size_t,
                 _c_double_p)
    else:
        _declare("patron_%s_new" % _m, _status, _c_double_p, ctypes.c_size_t, ctypes.c_double, _out)
        _declare("patron_%s_fit" % _m, _status, _c_double_p, _c_double_p, _c_double_p, ctypes.c_size_t,
                 ctypes.c_double, ctypes.c_void_p, _out, ctypes.POINTER(FitReport))
        _declare("patron_%s_params" % _m, _status, _h, _c_double_p, ctypes.c_size_t, _c_double_p)
        _declare("patron_%s_p_alive" % _m, _status, _h, _c_double_p, _c_double_p, _c_double_p, ctypes.c_size_t,
                 _c_double_p)
        for _verb in ("expected_purchases", "dert"):
            _declare("patron_%s_%s" % (_m, _verb), _status, _h, ctypes.c_double, _c_double_p, _c_double_p,
                     _c_double_p, ctypes.c_size_t, _c_double_p)
        _declare("patron_%s_clv" % _m, _status, _h, _h, ctypes.c_double, ctypes.c_double, _c_double_p,
                 _c_double_p, _c_double_p, _c_double_p, ctypes.c_size_t, _c_double_p)
    _declare("patron_%s_save" % _m, _status, _h, ctypes.c_char_p)
    _declare("patron_%s_load" % _m, _status, ctypes.c_char_p, _out)
    _declare("patron_%s_to_json" % _m, _status, _h, ctypes.c_char_p, ctypes.c_size_t,
             ctypes.POINTER(ctypes.c_size_t))
    _declare("patron_%s_from_json" % _m, _status, ctypes.c_char_p, _out)
    _declare("patron_%s_free" % _m, None, _h)


def _check(status):
    if status != 0:
        raise PatronError(status, _lib.patron_last_error().decode("utf-8", "replace"))


def version():
    """The loaded library's version string, e.g. "1.0.0"."""
    return _lib.patron_version_string().decode()


class _Doubles:
    """A contiguous float64 buffer for one argument; keeps the numpy array or ctypes array alive."""

    def __init__(self, values, name):
        if _np is not None:
            self.keep = _np.ascontiguousarray(values, dtype=_np.float64)
            if self.keep.ndim != 1:
                raise ValueError("%s must be one-dimensional" % name)
            self.n = self.keep.shape[0]
            self.ptr = self.keep.ctypes.data_as(_c_double_p)
        else:
            values = [float(v) for v in values]
            self.n = len(values)
            self.keep = (ctypes.c_double * max(self.n, 1))(*values)
            self.ptr = ctypes.cast(self.keep, _c_double_p)


def _columns(**named):
    cols = [_Doubles(v, k) for k, v in named.items()]
    n = cols[0].n
    for (k, c) in zip(named, cols):
        if c.n != n:
            raise ValueError("%s has %d values, expected %d (one per customer)" % (k, c.n, n))
    return cols, n


def _output(n):
    if _np is not None:
        out = _np.empty(n, dtype=_np.float64)
        return out, out.ctypes.data_as(_c_double_p)
    buf = (ctypes.c_double * max(n, 1))()
    return buf, ctypes.cast(buf, _c_double_p)


def _result(out, n):
    return out if _np is not None else list(out[:n])


def _path(p):
    return os.fsencode(p)


class _Model:
    _noun = None
    _n_params = 4

    def __init__(self, handle):
        self._h = handle
        self.report = None

    def __del__(self):
        h, self._h = getattr(self, "_h", None), None
        if h:
            getattr(_lib, "patron_%s_free" % self._noun)(h)

    @classmethod
    def _make(cls, fn, *args):
        out = ctypes.c_void_p()
        _check(fn(*args, ctypes.byref(out)))
        return cls(out)

    @classmethod
    def load(cls, path):
        """A model from a JSON model file (as written by save() or `patron fit`)."""
        return cls._make(getattr(_lib, "patron_%s_load" % cls._noun), _path(path))

    @classmethod
    def from_json(cls, text):
        return cls._make(getattr(_lib, "patron_%s_from_json" % cls._noun), text.encode())

    def save(self, path):
        _check(getattr(_lib, "patron_%s_save" % self._noun)(self._h, _path(path)))

    def to_json(self):
        needed = ctypes.c_size_t()
        fn = getattr(_lib, "patron_%s_to_json" % self._noun)
        _check(fn(self._h, None, 0, ctypes.byref(needed)))
        buf = ctypes.create_string_buffer(needed.value)
        _check(fn(self._h, buf, needed.value, None))
        return buf.value.decode()

    @staticmethod
    def _report(r):
        n = r.n_params
        return {"status": FIT_STATUS.get(r.status, str(r.status)), "iterations": r.iterations,
                "log_likelihood": r.log_likelihood, "gradient_norm": r.gradient_norm,
                "params": list(r.params[:n]), "std_errors": list(r.std_errors[:n]),
                "n_customers": r.n_customers, "n_used": r.n_used, "n_excluded": r.n_excluded}


class _PurchaseModel(_Model):
    """BG/NBD-type purchase model: x (repeat purchases), t_x (time of the last), T (age)."""

    @classmethod
    def new(cls, params, unit_days=7.0):
        p = _Doubles(params, "params")
        return cls._make(getattr(_lib, "patron_%s_new" % cls._noun), p.ptr, p.n, unit_days)

    @classmethod
    def fit(cls, x, t_x, T, unit_days=7.0):
        """Maximum-likelihood fit; the outcome (status, log_likelihood, params, ...) is in .report."""
        (cx, ctx, cT), n = _columns(x=x, t_x=t_x, T=T)
        rep = FitReport()
        _check(_lib.patron_fit_report_init(ctypes.byref(rep)))
        out = ctypes.c_void_p()
        _check(getattr(_lib, "patron_%s_fit" % cls._noun)(cx.ptr, ctx.ptr, cT.ptr, n, unit_days, None,
                                                            ctypes.byref(out), ctypes.byref(rep)))
        m = cls(out)
        m.report = cls._report(rep)
        return m

    @property
    def params(self):
        p = (ctypes.c_double * 4)()
        unit = ctypes.c_double()
        _check(getattr(_lib, "patron_%s_params" % self._noun)(self._h, p, 4, ctypes.byref(unit)))
        return list(p), unit.value

    def _score(self, verb, lead, x, t_x, T):
        (cx, ctx, cT), n = _columns(x=x, t_x=t_x, T=T)
        out, ptr = _output(n)
        fn = getattr(_lib, "patron_%s_%s" % (self._noun, verb))
        _check(fn(self._h, *lead, cx.ptr, ctx.ptr, cT.ptr, n, ptr))
        return _result(out, n)

    def p_alive(self, x, t_x, T):
        """P(alive) per customer."""
        return self._score("p_alive", (), x, t_x, T)

    def expected_purchases(self, t, x, t_x, T):
        """Expected purchases in the next t model units."""
        return self._score("expected_purchases", (float(t),), x, t_x, T)

    def dert(self, delta, x, t_x, T):
        """Discounted expected residual transactions, delta continuous per model unit."""
        return self._score("dert", (float(delta),), x, t_x, T)

    def clv(self, spend, annual_rate, margin, x, t_x, T, monetary):
        """DERT x Gamma-Gamma expected spend x margin, annual discrete discount rate."""
        if not isinstance(spend, GammaGamma):
            raise TypeError("spend must be a GammaGamma model")
        (cx, ctx, cT, cm), n = _columns(x=x, t_x=t_x, T=T, monetary=monetary)
        out, ptr = _output(n)
        _check(getattr(_lib, "patron_%s_clv" % self._noun)(self._h, spend._h, float(annual_rate), float(margin),
                                                            cx.ptr, ctx.ptr, cT.ptr, cm.ptr, n, ptr))
        return _result(out, n)


class BgNbd(_PurchaseModel):
    """BG/NBD (Fader, Hardie & Lee 2005): params r, alpha, a, b."""
    _noun = "bgnbd"


class MbgNbd(_PurchaseModel):
    """MBG/NBD (Batislam, Denizel & Filiztekin 2007): params r, alpha, a, b."""
    _noun = "mbgnbd"


class ParetoNbd(_PurchaseModel):
    """Pareto/NBD (Schmittlein, Morrison & Colombo 1987): params r, alpha, s, beta."""
    _noun = "pnbd"


class GammaGamma(_Model):
    """Gamma-Gamma spend model: params p, q, gamma."""
    _noun = "gamma_gamma"
    _n_params = 3

    @classmethod
    def new(cls, params):
        p = _Doubles(params, "params")
        return cls._make(_lib.patron_gamma_gamma_new, p.ptr, p.n)

    @classmethod
    def fit(cls, x, monetary):
        (cx, cm), n = _columns(x=x, monetary=monetary)
        rep = FitReport()
        _check(_lib.patron_fit_report_init(ctypes.byref(rep)))
        out = ctypes.c_void_p()
        _check(_lib.patron_gamma_gamma_fit(cx.ptr, cm.ptr, n, None, ctypes.byref(out), ctypes.byref(rep)))
        m = cls(out)
        m.report = cls._report(rep)
        return m

    @property
    def params(self):
        p = (ctypes.c_double * 3)()
        _check(_lib.patron_gamma_gamma_params(self._h, p, 3))
        return list(p)

    def expected_spend(self, x, monetary):
        (cx, cm), n = _columns(x=x, monetary=monetary)
        out, ptr = _output(n)
        _check(_lib.patron_gamma_gamma_expected_spend(self._h, cx.ptr, cm.ptr, n, ptr))
        return _result(out, n)


def read_summary(path, unit_days=7.0):
    """Reads a summary CSV (id, x, t_x, T[, monetary]) into a dict of columns (+ "id": list of str)."""
    h = ctypes.c_void_p()
    _check(_lib.patron_summary_read(_path(path), unit_days, ctypes.byref(h)))
    try:
        n = ctypes.c_size_t()
        _check(_lib.patron_summary_size(h, ctypes.byref(n)))
        cols = {}
        for name, code in (("x", 0), ("t_x", 1), ("T", 2), ("monetary", 3)):
            data, k = _c_double_p(), ctypes.c_size_t()
            _check(_lib.patron_summary_column(h, code, ctypes.byref(data), ctypes.byref(k)))
            if _np is not None:
                cols[name] = _np.ctypeslib.as_array(data, shape=(k.value,)).copy()
            else:
                cols[name] = data[:k.value]
        ids = []
        s = ctypes.c_char_p()
        for i in range(n.value):
            _check(_lib.patron_summary_id(h, i, ctypes.byref(s)))
            ids.append(s.value.decode())
        cols["id"] = ids
        return cols
    finally:
        _lib.patron_summary_free(h)
