"""optim.EarlyStopping keeps the best weights and stops after `patience` evaluations."""
import numpy as np
import pytest

import autograd as ag
import optim


def test_stops_after_patience_and_restores_the_best_weights(tmp_path):
    w = ag.Variable(0.0)
    step_up = ag.assign_add(w, 1.0)
    validation = [5.0, 3.0, 2.5, 2.6, 2.55, 2.7, 1.0]   # best at the 3rd evaluation
    with ag.Session() as sess:
        sess.run(w.initializer)
        stopper = optim.EarlyStopping(ag.Saver(), str(tmp_path / "best"), patience=3)
        stopped_at = None
        for step, error in enumerate(validation):
            sess.run(step_up)
            if stopper.update(sess, error, step):
                stopped_at = step
                break
        assert stopped_at == 5 and stopper.best == 2.5 and stopper.best_step == 2
        assert sess.run(w) == 6.0
        stopper.restore(sess)
        assert sess.run(w) == 3.0                          # the weights of evaluation 3


def test_max_mode_min_delta_and_misuse(tmp_path):
    v = ag.Variable(np.zeros(2))
    with ag.Session() as sess:
        sess.run(v.initializer)
        stopper = optim.EarlyStopping(ag.Saver(), str(tmp_path / "m"), patience=1,
                                      min_delta=0.05, mode="max")
        assert not stopper.update(sess, 0.90)
        assert stopper.update(sess, 0.93)                 # not better by min_delta: stop
        with pytest.raises(ValueError, match="mode"):
            optim.EarlyStopping(ag.Saver(), "x", mode="best")
        with pytest.raises(RuntimeError, match="before any update"):
            optim.EarlyStopping(ag.Saver(), "y").restore(sess)
