"""Optimizer update rules against hand-computed TF1 steps, and the optimizer plumbing."""
import numpy as np
import pytest

import autograd as ag
import optim

W0 = np.array([0.5, -1.5, 2.0], dtype=np.float32)
GRADS = [np.array(g, dtype=np.float32) for g in
         ([0.1, -0.2, 0.3], [0.4, 0.0, -0.5], [-0.3, 0.2, 0.1], [0.05, -0.6, 0.2])]


def run_steps(optimizer, kernels=None):
    """Train w with loss = sum(w * g): the gradient is exactly the fed g each step."""
    w = ag.Variable(W0, name="w")
    g = ag.placeholder(ag.float32, [3])
    train = optimizer.minimize(ag.reduce_sum(w * g))
    values = []
    with ag.Session(kernels=kernels) as sess:
        sess.run(ag.global_variables_initializer())
        for grad in GRADS:
            sess.run(train, {g: grad})
            values.append(sess.run(w))
    return values


def hand_sgd(lr):
    w = W0.copy()
    for g in GRADS:
        w = w - lr * g
        yield w


def hand_momentum(lr, momentum, nesterov):
    w, accum = W0.copy(), np.zeros(3, np.float32)
    for g in GRADS:
        accum = momentum * accum + g
        w = w - (lr * g + lr * momentum * accum if nesterov else lr * accum)
        yield w


def hand_adagrad(lr, initial):
    w, accum = W0.copy(), np.full(3, initial, np.float32)
    for g in GRADS:
        accum = accum + g * g
        w = w - lr * g / np.sqrt(accum)
        yield w


def hand_adadelta(lr, rho, eps):
    w, accum, accum_update = W0.copy(), np.zeros(3), np.zeros(3)
    for g in GRADS:
        accum = rho * accum + (1 - rho) * g * g
        update = np.sqrt(accum_update + eps) / np.sqrt(accum + eps) * g
        w = w - lr * update
        accum_update = rho * accum_update + (1 - rho) * update * update
        yield w


def hand_rmsprop(lr, decay, momentum, eps, centered):
    w, ms, mom, mg = W0.copy(), np.ones(3), np.zeros(3), np.zeros(3)
    for g in GRADS:
        ms = decay * ms + (1 - decay) * g * g
        mg = decay * mg + (1 - decay) * g
        denominator = ms - mg * mg if centered else ms
        mom = momentum * mom + lr * g / np.sqrt(denominator + eps)
        w = w - mom
        yield w


def hand_adam(lr, b1, b2, eps):
    w, m, v = W0.copy(), np.zeros(3), np.zeros(3)
    for t, g in enumerate(GRADS, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        alpha = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        w = w - alpha * m / (np.sqrt(v) + eps)
        yield w


CASES = {
    "sgd": (lambda: optim.GradientDescentOptimizer(0.5), hand_sgd(0.5)),
    "momentum": (lambda: optim.MomentumOptimizer(0.1, 0.9), hand_momentum(0.1, 0.9, False)),
    "nesterov": (lambda: optim.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
                 hand_momentum(0.1, 0.9, True)),
    "adagrad": (lambda: optim.AdagradOptimizer(0.3), hand_adagrad(0.3, 0.1)),
    "adadelta": (lambda: optim.AdadeltaOptimizer(1.0), hand_adadelta(1.0, 0.95, 1e-8)),
    "rmsprop": (lambda: optim.RMSPropOptimizer(0.01), hand_rmsprop(0.01, 0.9, 0.0, 1e-10,
                                                                   False)),
    "rmsprop_centered_momentum": (
        lambda: optim.RMSPropOptimizer(0.01, momentum=0.5, centered=True),
        hand_rmsprop(0.01, 0.9, 0.5, 1e-10, True)),
    "adam": (lambda: optim.AdamOptimizer(0.1), hand_adam(0.1, 0.9, 0.999, 1e-8)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_update_rule_matches_hand_computed_steps(name):
    make, expected = CASES[name]
    for ours, reference in zip(run_steps(make()), expected):
        np.testing.assert_allclose(ours, reference, rtol=2e-6, atol=1e-7)


@pytest.mark.skipif(not ag.compiled.installed(),
                    reason="numba is not installed (the 'fast' extra)")
def test_compiled_adam_gives_the_numpy_kernels_bits():
    """Whichever kernel the trial keeps, training takes the same path."""
    make, _ = CASES["adam"]
    for ours, reference in zip(run_steps(make(), kernels="compiled"),
                               run_steps(make(), kernels="numpy")):
        np.testing.assert_array_equal(ours, reference)


def test_minimize_increments_global_step_and_learning_rate_may_be_a_tensor():
    w = ag.Variable(1.0)
    step = optim.get_or_create_global_step()
    assert optim.get_or_create_global_step() is step and step.dtype == ag.int64
    lr = ag.placeholder(ag.float32, [])
    train = optim.GradientDescentOptimizer(lr).minimize(w * w, global_step=step)
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        sess.run(train, {lr: 0.25})
        sess.run(train, {lr: 0.0})
        assert sess.run(step) == 2 and sess.run(w) == pytest.approx(0.5)


def test_compute_and_apply_gradients_with_clipping():
    a, b = ag.Variable([3.0, 4.0]), ag.Variable(0.0)
    unused = ag.Variable(5.0)
    opt = optim.GradientDescentOptimizer(1.0)
    pairs = opt.compute_gradients(ag.reduce_sum(a * a) * 0.5, [a, b, unused])
    assert pairs[1][0] is None and pairs[2][1] is unused
    grads, norm = optim.clip_by_global_norm([g for g, _ in pairs], 1.0)
    train = opt.apply_gradients(zip(grads, [a, b, unused]))
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        assert sess.run(norm) == pytest.approx(5.0)
        sess.run(train)
        np.testing.assert_allclose(sess.run(a), [3.0 - 0.6, 4.0 - 0.8], rtol=1e-6)
        assert sess.run(unused) == 5.0


def test_no_gradient_at_all_is_a_clear_error():
    v = ag.Variable(1.0)
    with pytest.raises(ValueError, match="No gradients"):
        optim.AdamOptimizer().minimize(ag.stop_gradient(v) * 2.0, var_list=[v])


def test_slots_are_named_after_their_variable_and_need_initializing():
    w = ag.Variable([1.0, 2.0], name="w")
    opt = optim.AdamOptimizer()
    train = opt.minimize(ag.reduce_sum(w * w))
    assert opt.get_slot(w, "m").op.name == "w/Adam"
    assert opt.get_slot(w, "v").op.name == "w/Adam_1"  # TF1's slot names
    with ag.Session() as sess:
        sess.run(w.initializer)
        with pytest.raises(ag.errors.FailedPreconditionError, match="optimizer slots"):
            sess.run(train)
        assert list(sess.run(w)) == [1.0, 2.0]


@pytest.mark.parametrize("staircase", [False, True])
def test_exponential_decay(staircase):
    step = ag.placeholder(ag.int64, [])
    lr = optim.exponential_decay(0.1, step, 100, 0.5, staircase=staircase)
    with ag.Session() as sess:
        expected = 0.1 * 0.5 ** (150 // 100 if staircase else 1.5)
        assert sess.run(lr, {step: 150}) == pytest.approx(expected, rel=1e-6)


def test_updates_are_in_place_and_a_failed_step_changes_nothing():
    w = ag.Variable(np.ones(4, np.float32))
    x = ag.placeholder(ag.float32, [None])
    loss = ag.reduce_sum(w * ag.reshape(x, [4]))
    train = optim.MomentumOptimizer(0.1, 0.9).minimize(loss)
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        sess.run(train, {x: np.ones(4)})
        sess.run(train, {x: np.ones(4)})
        before = sess.variable_values()
        with pytest.raises(ag.errors.InvalidArgumentError):
            sess.run(train, {x: np.ones(5)})
        after = sess.variable_values()
        for name in before:
            np.testing.assert_array_equal(before[name], after[name])
