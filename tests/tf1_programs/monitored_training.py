# Training in a MonitoredTrainingSession with hooks, as TF 1.x programs after 1.2 do:
# StopAtStepHook, checkpoints every 50 steps, a second session that restores the latest
# checkpoint and goes on, and the same model under the older tf.train.Supervisor.
import os
import shutil
import numpy as np
import autograd.tf1 as tf

rng = np.random.RandomState(2)
data_x = rng.randn(200, 3).astype(np.float32)
data_y = (data_x @ np.array([[1.0], [-2.0], [0.5]], np.float32) + 0.3).astype(np.float32)


def build():
    tf.reset_default_graph()
    x = tf.constant(data_x)
    y = tf.constant(data_y)
    W = tf.Variable(tf.zeros([3, 1]), name="W")
    b = tf.Variable(tf.zeros([1]), name="b")
    loss = tf.reduce_mean(tf.square(tf.matmul(x, W) + b - y))
    tf.summary.scalar("loss", loss)
    global_step = tf.train.get_or_create_global_step()
    train_op = tf.train.GradientDescentOptimizer(0.05).minimize(loss, global_step=global_step)
    return loss, train_op, global_step


shutil.rmtree("ckpt", ignore_errors=True)
loss, train_op, global_step = build()
hooks = [tf.train.StopAtStepHook(last_step=100), tf.train.NanTensorHook(loss)]
final = tf.train.FinalOpsHook(loss)
with tf.train.MonitoredTrainingSession(checkpoint_dir="ckpt", hooks=hooks,
                                       chief_only_hooks=[final],
                                       save_checkpoint_steps=50,
                                       save_summaries_steps=25) as mon_sess:
    while not mon_sess.should_stop():
        mon_sess.run(train_op)
print("first session ended with loss", final.final_ops_values)
print("checkpoint:", os.path.basename(tf.train.latest_checkpoint("ckpt")))

loss, train_op, global_step = build()   # a new process would start here
with tf.train.MonitoredTrainingSession(checkpoint_dir="ckpt",
                                       hooks=[tf.train.StopAtStepHook(num_steps=50)]) as mon_sess:
    restored = mon_sess.run(global_step)
    while not mon_sess.should_stop():
        _, loss_value = mon_sess.run([train_op, loss])
step = int(tf.train.latest_checkpoint("ckpt").rsplit("-", 1)[1])   # saved at the end
print("restored at step", restored, "and stopped at", step)

loss, train_op, global_step = build()
sv = tf.train.Supervisor(logdir="ckpt", save_model_secs=0)
with sv.managed_session() as sess:
    start = sess.run(global_step)
    for _ in range(30):
        if sv.should_stop():
            break
        sess.run(train_op)
    sv.saver.save(sess, sv.save_path, global_step=global_step)
    end_loss = sess.run(loss)
print("supervisor went from step", start, "to", start + 30)
print("result", final.final_ops_values, restored, step, loss_value, start, end_loss)
