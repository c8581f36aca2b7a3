# tf.app.run with flags, tf.gfile and tf.logging, as TF1 scripts were laid out.
import os
import autograd.tf1 as tf

flags = tf.app.flags
flags.DEFINE_integer("steps", 30, "Number of steps to run.")
flags.DEFINE_float("learning_rate", 0.1, "Initial learning rate.")
flags.DEFINE_string("output_dir", "logs_flags", "Where to write.")
flags.DEFINE_boolean("verbose", False, "Log each step.")
FLAGS = flags.FLAGS


def main(_):
    if tf.gfile.Exists(FLAGS.output_dir):
        tf.gfile.DeleteRecursively(FLAGS.output_dir)
    tf.gfile.MakeDirs(FLAGS.output_dir)
    tf.logging.set_verbosity(tf.logging.INFO)
    x = tf.Variable(5.0)
    loss = tf.square(x - 2.0)
    train = tf.train.GradientDescentOptimizer(FLAGS.learning_rate).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(FLAGS.steps):
            _, value = sess.run([train, loss])
            if FLAGS.verbose:
                tf.logging.info("step %d loss %f", step, value)
        with tf.gfile.GFile(os.path.join(FLAGS.output_dir, "final.txt"), "w") as out:
            out.write("%f" % sess.run(x))
    print("files:", tf.gfile.ListDirectory(FLAGS.output_dir))
    print("result", float(tf.gfile.GFile(os.path.join(FLAGS.output_dir, "final.txt")).read()))


if __name__ == "__main__":
    tf.app.run()
