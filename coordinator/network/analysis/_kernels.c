/*
 * The loops of the analysis that run as machine code, in C (a CPython extension
 * without numpy's C API: arrays arrive through the buffer protocol, their dtypes checked by
 * the callers in compiled.py and their sizes here).
 *
 * Each function is the line-for-line translation of its Python reference beside the code
 * that uses it (compact._fill_csr, louvain._move_nodes, betweenness._brandes,
 * layout._pull_into, compact._bfs_labels); the tests
 * compare the two on random graphs. The floating-point expressions keep the reference's
 * order of evaluation and setup.py compiles with fused multiply-add contraction off, so the
 * results are identical to the last bit, as networkx's Louvain needs.
 *
 * Why C and not numba, which compiled these loops before: numba and its LLVM added ~190 MB
 * to the queue worker (65 MB to import, ~120 MB at the first compiled call, even from its
 * cache), a third of the worker's peak at L. This module adds ~30 kB.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>

typedef struct {
    Py_buffer buffer;
    Py_ssize_t length;
    int held;
} Array;

/* A C-contiguous buffer of items of `itemsize` bytes (and at least `minimum` of them). */
static int
take(PyObject *object, Array *array, Py_ssize_t itemsize, int writable, Py_ssize_t minimum,
     const char *name)
{
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(object, &array->buffer, flags) < 0)
        return -1;
    array->held = 1;
    if (array->buffer.itemsize != itemsize || array->buffer.len % itemsize != 0) {
        PyErr_Format(PyExc_TypeError, "%s: expected items of %zd bytes", name, itemsize);
        return -1;
    }
    array->length = array->buffer.len / itemsize;
    if (array->length < minimum) {
        PyErr_Format(PyExc_ValueError, "%s: %zd items, at least %zd expected", name,
                     array->length, minimum);
        return -1;
    }
    return 0;
}

static void
unheld(Array *arrays, int count)
{
    for (int i = 0; i < count; i++)
        arrays[i].held = 0;
}

static void
release(Array *arrays, int count)
{
    for (int i = 0; i < count; i++)
        if (arrays[i].held)
            PyBuffer_Release(&arrays[i].buffer);
}

/* Every index in `values` lies in [0, n). */
static int
indices_below(const int32_t *values, Py_ssize_t count, int64_t n, const char *name)
{
    for (Py_ssize_t i = 0; i < count; i++)
        if (values[i] < 0 || values[i] >= n) {
            PyErr_Format(PyExc_ValueError, "%s: index %d outside 0..%lld", name,
                         (int)values[i], (long long)(n - 1));
            return -1;
        }
    return 0;
}

/* Every node number in the int64 `values` lies in [0, n). */
static int
nodes_below(const int64_t *values, Py_ssize_t count, int64_t n, const char *name)
{
    for (Py_ssize_t i = 0; i < count; i++)
        if (values[i] < 0 || values[i] >= n) {
            PyErr_Format(PyExc_ValueError, "%s: node outside the graph", name);
            return -1;
        }
    return 0;
}

/* A CSR's offsets run from 0 to `entries` without falling. */
static int
offsets_valid(const int64_t *indptr, Py_ssize_t n, Py_ssize_t entries)
{
    if (indptr[0] != 0 || indptr[n] != entries) {
        PyErr_SetString(PyExc_ValueError, "indptr: must run from 0 to the number of entries");
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++)
        if (indptr[i + 1] < indptr[i]) {
            PyErr_SetString(PyExc_ValueError, "indptr: must not fall");
            return -1;
        }
    return 0;
}

/* Zeroed scratch of `n` items of `size` bytes (at least one item), or NULL with a
 * MemoryError set. */
static void *
scratch_of(Py_ssize_t n, size_t size)
{
    void *memory = calloc((size_t)(n > 0 ? n : 1), size);
    if (memory == NULL)
        PyErr_NoMemory();
    return memory;
}

PyDoc_STRVAR(fill_csr_doc,
"fill_csr(u, v, w, indptr, indices, weights)\n--\n\n"
"Both ends of every tie (int32 u, v, w), in tie order, into their node's slice of the\n"
"CSR: int64 indptr (filled in), int32 indices and weights (written).");

static PyObject *
fill_csr(PyObject *module, PyObject *args)
{
    PyObject *objects[6];
    Array a[6];
    unheld(a, 6);
    if (!PyArg_ParseTuple(args, "OOOOOO", &objects[0], &objects[1], &objects[2], &objects[3],
                          &objects[4], &objects[5]))
        return NULL;
    if (take(objects[0], &a[0], 4, 0, 0, "u") < 0 || take(objects[1], &a[1], 4, 0, 0, "v") < 0
        || take(objects[2], &a[2], 4, 0, 0, "w") < 0
        || take(objects[3], &a[3], 8, 0, 1, "indptr") < 0
        || take(objects[4], &a[4], 4, 1, 0, "indices") < 0
        || take(objects[5], &a[5], 4, 1, 0, "weights") < 0)
        goto fail;
    Py_ssize_t m = a[0].length, n = a[3].length - 1;
    const int32_t *u = a[0].buffer.buf, *v = a[1].buffer.buf, *w = a[2].buffer.buf;
    const int64_t *indptr = a[3].buffer.buf;
    int32_t *indices = a[4].buffer.buf, *weights = a[5].buffer.buf;
    if (a[1].length != m || a[2].length != m || a[4].length != 2 * m || a[5].length != 2 * m) {
        PyErr_SetString(PyExc_ValueError, "fill_csr: arrays of unequal length");
        goto fail;
    }
    if (indices_below(u, m, n, "u") < 0 || indices_below(v, m, n, "v") < 0
        || offsets_valid(indptr, n, 2 * m) < 0)
        goto fail;
    int64_t *cursor = scratch_of(n, sizeof(int64_t));
    if (cursor == NULL)
        goto fail;
    int overflow = 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < n; i++)
        cursor[i] = indptr[i];
    for (Py_ssize_t t = 0; t < m && !overflow; t++) {
        int32_t ends[2] = {u[t], v[t]};
        for (int e = 0; e < 2; e++) {
            int32_t node = ends[e];
            int64_t k = cursor[node];
            if (k >= indptr[node + 1]) {  /* indptr does not count this node's ties */
                overflow = 1;
                break;
            }
            indices[k] = ends[1 - e];
            weights[k] = w[t];
            cursor[node] = k + 1;
        }
    }
    Py_END_ALLOW_THREADS
    free(cursor);
    if (overflow) {
        PyErr_SetString(PyExc_ValueError, "fill_csr: indptr does not match the ties");
        goto fail;
    }
    release(a, 6);
    Py_RETURN_NONE;
fail:
    release(a, 6);
    return NULL;
}

PyDoc_STRVAR(move_nodes_doc,
"move_nodes(indptr, indices, weights, degrees, m, two_m2, order, node2com)\n--\n\n"
"Louvain's first level (networkx's _one_level) on a CSR: int64 indptr, int32 indices and\n"
"weights, int64 degrees, the floats m and 2*m**2, int64 visiting order; int64 node2com\n"
"holds each node's community and is updated in place.");

static PyObject *
move_nodes(PyObject *module, PyObject *args)
{
    PyObject *objects[6];
    double m, two_m2;
    Array a[6];
    unheld(a, 6);
    if (!PyArg_ParseTuple(args, "OOOOddOO", &objects[0], &objects[1], &objects[2],
                          &objects[3], &m, &two_m2, &objects[4], &objects[5]))
        return NULL;
    if (take(objects[0], &a[0], 8, 0, 1, "indptr") < 0
        || take(objects[1], &a[1], 4, 0, 0, "indices") < 0
        || take(objects[2], &a[2], 4, 0, 0, "weights") < 0
        || take(objects[3], &a[3], 8, 0, 0, "degrees") < 0
        || take(objects[4], &a[4], 8, 0, 0, "order") < 0
        || take(objects[5], &a[5], 8, 1, 0, "node2com") < 0)
        goto fail;
    Py_ssize_t n = a[3].length, entries = a[1].length;
    const int64_t *indptr = a[0].buffer.buf, *degrees = a[3].buffer.buf;
    const int64_t *order = a[4].buffer.buf;
    const int32_t *indices = a[1].buffer.buf, *weights = a[2].buffer.buf;
    int64_t *node2com = a[5].buffer.buf;
    if (a[0].length != n + 1 || a[2].length != entries || a[5].length != n) {
        PyErr_SetString(PyExc_ValueError, "move_nodes: arrays of unequal length");
        goto fail;
    }
    if (offsets_valid(indptr, n, entries) < 0 || indices_below(indices, entries, n, "indices") < 0
        || nodes_below(order, a[4].length, n, "order") < 0
        || nodes_below(node2com, n, n, "node2com") < 0)  /* communities are numbered 0..n-1 */
        goto fail;
    int64_t *stot = scratch_of(n, sizeof(int64_t));
    double *scratch = stot == NULL ? NULL : scratch_of(n, sizeof(double));
    if (scratch == NULL) {
        free(stot);
        goto fail;
    }
    Py_ssize_t visits = a[4].length;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < n; i++)
        stot[i] = degrees[i];
    long moves = 1;
    while (moves > 0) {
        moves = 0;
        for (Py_ssize_t j = 0; j < visits; j++) {
            int64_t u = order[j];
            int64_t own = node2com[u];
            int64_t degree = degrees[u];
            stot[own] -= degree;
            int64_t lo = indptr[u], hi = indptr[u + 1];
            int64_t best_com = own;
            if (hi > lo) {
                for (int64_t k = lo; k < hi; k++)
                    scratch[node2com[indices[k]]] += weights[k];
                double remove_cost = -scratch[own] / m + (double)(stot[own] * degree) / two_m2;
                double best_gain = 0.0;
                for (int64_t k = lo; k < hi; k++) {
                    int64_t com = node2com[indices[k]];
                    double gain = (remove_cost + scratch[com] / m)
                                  - (double)(stot[com] * degree) / two_m2;
                    if (gain > best_gain) {
                        best_gain = gain;
                        best_com = com;
                    }
                }
                for (int64_t k = lo; k < hi; k++)
                    scratch[node2com[indices[k]]] = 0.0;
            }
            stot[best_com] += degree;
            if (best_com != own) {
                moves += 1;
                node2com[u] = best_com;
            }
        }
    }
    Py_END_ALLOW_THREADS
    free(stot);
    free(scratch);
    release(a, 6);
    Py_RETURN_NONE;
fail:
    release(a, 6);
    return NULL;
}

PyDoc_STRVAR(brandes_doc,
"brandes(indptr, indices, sources, raw)\n--\n\n"
"Brandes' dependency sums from the int64 sources over the CSR (int64 indptr, int32\n"
"indices), each unordered pair counted from both ends as networkx counts it, added into\n"
"the float64 array raw (one item per node).");

static PyObject *
brandes(PyObject *module, PyObject *args)
{
    PyObject *objects[4];
    Array a[4];
    unheld(a, 4);
    if (!PyArg_ParseTuple(args, "OOOO", &objects[0], &objects[1], &objects[2], &objects[3]))
        return NULL;
    if (take(objects[0], &a[0], 8, 0, 1, "indptr") < 0
        || take(objects[1], &a[1], 4, 0, 0, "indices") < 0
        || take(objects[2], &a[2], 8, 0, 0, "sources") < 0
        || take(objects[3], &a[3], 8, 1, 0, "raw") < 0)
        goto fail;
    Py_ssize_t n = a[3].length, entries = a[1].length, count = a[2].length;
    const int64_t *indptr = a[0].buffer.buf, *sources = a[2].buffer.buf;
    const int32_t *indices = a[1].buffer.buf;
    double *raw = a[3].buffer.buf;
    if (a[0].length != n + 1) {
        PyErr_SetString(PyExc_ValueError, "brandes: indptr must have one item more than raw");
        goto fail;
    }
    if (offsets_valid(indptr, n, entries) < 0 || indices_below(indices, entries, n, "indices") < 0
        || nodes_below(sources, count, n, "sources") < 0)
        goto fail;
    int64_t *dist = scratch_of(n, sizeof(int64_t));
    int64_t *order = dist == NULL ? NULL : scratch_of(n, sizeof(int64_t));
    double *sigma = order == NULL ? NULL : scratch_of(n, sizeof(double));
    double *delta = sigma == NULL ? NULL : scratch_of(n, sizeof(double));
    if (delta == NULL) {
        free(dist);
        free(order);
        free(sigma);
        goto fail;
    }
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < n; i++)
        dist[i] = -1;
    for (Py_ssize_t j = 0; j < count; j++) {
        int64_t s = sources[j];
        dist[s] = 0;
        sigma[s] = 1.0;
        order[0] = s;
        Py_ssize_t head = 0, tail = 1;
        while (head < tail) {
            int64_t v = order[head++];
            for (int64_t k = indptr[v]; k < indptr[v + 1]; k++) {
                int32_t w = indices[k];
                if (dist[w] < 0) {
                    dist[w] = dist[v] + 1;
                    order[tail++] = w;
                }
                if (dist[w] == dist[v] + 1)
                    sigma[w] += sigma[v];
            }
        }
        for (Py_ssize_t i = tail - 1; i > 0; i--) {
            int64_t w = order[i];
            double coeff = (1.0 + delta[w]) / sigma[w];
            for (int64_t k = indptr[w]; k < indptr[w + 1]; k++) {
                int32_t v = indices[k];
                if (dist[v] == dist[w] - 1)
                    delta[v] += sigma[v] * coeff;
            }
            raw[w] += delta[w];
        }
        for (Py_ssize_t i = 0; i < tail; i++) {  /* reset only what this source reached */
            int64_t w = order[i];
            dist[w] = -1;
            sigma[w] = 0.0;
            delta[w] = 0.0;
        }
    }
    Py_END_ALLOW_THREADS
    free(dist);
    free(order);
    free(sigma);
    free(delta);
    release(a, 4);
    Py_RETURN_NONE;
fail:
    release(a, 4);
    return NULL;
}

PyDoc_STRVAR(component_labels_doc,
"component_labels(indptr, indices, labels)\n--\n\n"
"Connected components of the CSR (int64 indptr, int32 indices of a symmetric adjacency):\n"
"writes each node's component number into the int64 array labels, numbered in order of\n"
"each component's first node, and returns how many there are.");

static PyObject *
component_labels(PyObject *module, PyObject *args)
{
    PyObject *objects[3];
    Array a[3];
    unheld(a, 3);
    if (!PyArg_ParseTuple(args, "OOO", &objects[0], &objects[1], &objects[2]))
        return NULL;
    if (take(objects[0], &a[0], 8, 0, 1, "indptr") < 0
        || take(objects[1], &a[1], 4, 0, 0, "indices") < 0
        || take(objects[2], &a[2], 8, 1, 0, "labels") < 0)
        goto fail;
    Py_ssize_t n = a[2].length, entries = a[1].length;
    const int64_t *indptr = a[0].buffer.buf;
    const int32_t *indices = a[1].buffer.buf;
    int64_t *labels = a[2].buffer.buf;
    if (a[0].length != n + 1) {
        PyErr_SetString(PyExc_ValueError, "component_labels: indptr must have one item more "
                                          "than labels");
        goto fail;
    }
    if (offsets_valid(indptr, n, entries) < 0 || indices_below(indices, entries, n, "indices") < 0)
        goto fail;
    int64_t *queue = scratch_of(n, sizeof(int64_t));
    if (queue == NULL)
        goto fail;
    int64_t count = 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < n; i++)
        labels[i] = -1;
    for (Py_ssize_t start = 0; start < n; start++) {
        if (labels[start] >= 0)
            continue;
        labels[start] = count;
        queue[0] = start;
        Py_ssize_t head = 0, tail = 1;
        while (head < tail) {
            int64_t v = queue[head++];
            for (int64_t k = indptr[v]; k < indptr[v + 1]; k++) {
                int32_t w = indices[k];
                if (labels[w] < 0) {
                    labels[w] = count;
                    queue[tail++] = w;
                }
            }
        }
        count++;
    }
    Py_END_ALLOW_THREADS
    free(queue);
    release(a, 3);
    return PyLong_FromLongLong((long long)count);
fail:
    release(a, 3);
    return NULL;
}

PyDoc_STRVAR(pull_into_doc,
"pull_into(pos, src, dst, strength, k, step, disp)\n--\n\n"
"The layout's pull along every tie (layout._pull_into): float64 positions (n x 2), int32\n"
"tie ends src and dst, float64 strength per tie, the ideal distance k, the ties per step;\n"
"each step's sums per node are added to the float64 displacements disp (n x 2) in place.");

static PyObject *
pull_into(PyObject *module, PyObject *args)
{
    PyObject *objects[5];
    Array a[5];
    double k;
    Py_ssize_t step;
    unheld(a, 5);
    if (!PyArg_ParseTuple(args, "OOOOdnO", &objects[0], &objects[1], &objects[2], &objects[3],
                          &k, &step, &objects[4]))
        return NULL;
    if (take(objects[0], &a[0], 8, 0, 0, "pos") < 0 || take(objects[1], &a[1], 4, 0, 0, "src") < 0
        || take(objects[2], &a[2], 4, 0, 0, "dst") < 0
        || take(objects[3], &a[3], 8, 0, 0, "strength") < 0
        || take(objects[4], &a[4], 8, 1, 0, "disp") < 0)
        goto fail;
    Py_ssize_t n = a[0].length / 2, m = a[1].length;
    const double *pos = a[0].buffer.buf, *strength = a[3].buffer.buf;
    const int32_t *src = a[1].buffer.buf, *dst = a[2].buffer.buf;
    double *disp = a[4].buffer.buf;
    if (a[0].length % 2 != 0 || a[4].length != 2 * n || a[2].length != m || a[3].length != m
        || step < 1) {
        PyErr_SetString(PyExc_ValueError, "pull_into: arrays of unequal length");
        goto fail;
    }
    if (indices_below(src, m, n, "src") < 0 || indices_below(dst, m, n, "dst") < 0)
        goto fail;
    /* As the reference: per step, each node's sums of the pulls at its ties' dst ends and at
     * their src ends, each summed from zero in tie order (np.bincount), are added to and
     * taken from disp. */
    double *sum_at_dst = scratch_of(2 * n, sizeof(double));
    double *sum_at_src = scratch_of(2 * n, sizeof(double));
    if (sum_at_dst == NULL || sum_at_src == NULL) {
        free(sum_at_dst);
        free(sum_at_src);
        goto fail;
    }
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t first = 0; first < m; first += step) {
        Py_ssize_t last = first + step < m ? first + step : m;
        for (Py_ssize_t i = 0; i < 2 * n; i++)
            sum_at_dst[i] = sum_at_src[i] = 0.0;
        for (Py_ssize_t t = first; t < last; t++) {
            int32_t u = src[t], v = dst[t];
            double dx = pos[2 * u] - pos[2 * v], dy = pos[2 * u + 1] - pos[2 * v + 1];
            double dist = sqrt(dx * dx + dy * dy);
            if (!(dist >= 0.01))
                dist = 0.01;
            double factor = dist * strength[t] / k;
            sum_at_dst[2 * v] += dx * factor;
            sum_at_dst[2 * v + 1] += dy * factor;
            sum_at_src[2 * u] += dx * factor;
            sum_at_src[2 * u + 1] += dy * factor;
        }
        for (Py_ssize_t i = 0; i < 2 * n; i++)
            disp[i] = disp[i] + sum_at_dst[i] - sum_at_src[i];
    }
    Py_END_ALLOW_THREADS
    free(sum_at_dst);
    free(sum_at_src);
    release(a, 5);
    Py_RETURN_NONE;
fail:
    release(a, 5);
    return NULL;
}

static PyMethodDef methods[] = {
    {"component_labels", component_labels, METH_VARARGS, component_labels_doc},
    {"fill_csr", fill_csr, METH_VARARGS, fill_csr_doc},
    {"move_nodes", move_nodes, METH_VARARGS, move_nodes_doc},
    {"brandes", brandes, METH_VARARGS, brandes_doc},
    {"pull_into", pull_into, METH_VARARGS, pull_into_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_kernels",
    "The analysis' inner loops in C (see compiled.py).", -1, methods,
};

PyMODINIT_FUNC
PyInit__kernels(void)
{
    return PyModule_Create(&module);
}
