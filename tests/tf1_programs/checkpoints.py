# Saver with max_to_keep and global_step names, and the checkpoint helpers.
import os
import autograd.tf1 as tf

v = tf.Variable([1.0, 2.0], name="v")
step = tf.Variable(0, name="global_step", trainable=False)
update = [tf.assign_add(v, [0.5, 0.5]), tf.assign_add(step, 1)]
saver = tf.train.Saver(max_to_keep=2)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(4):
        sess.run(update)
        saver.save(sess, "ckpt/model.ckpt", global_step=step)
state = tf.train.get_checkpoint_state("ckpt")
print("latest:", os.path.basename(tf.train.latest_checkpoint("ckpt")))
print("kept:", [os.path.basename(p) for p in state.all_model_checkpoint_paths])
print("exists:", tf.train.checkpoint_exists(state.model_checkpoint_path))
with tf.Session() as sess:
    saver.restore(sess, state.model_checkpoint_path)
    print("result", *sess.run(v), sess.run(step))
