# Text classification as the contrib-era tutorials did it: VocabularyProcessor turns
# sentences into padded id sequences, embed_sequence embeds them, a tf.contrib.rnn
# GRUCell reads them, and the last output is classified; sequence_loss from
# tf.contrib.seq2seq also scores a next-word model on the same ids.
# parity: none (no installable TensorFlow has tf.contrib; checked: accuracy > 0.9)
import numpy as np
import autograd.tf1 as tf

rng = np.random.RandomState(4)
animals = ["cat", "dog", "horse", "bird", "fish"]
tools = ["hammer", "saw", "drill", "wrench", "pliers"]
sentences, labels = [], []
for _ in range(400):
    topic = rng.randint(2)
    words = [animals, tools][topic]
    sentences.append(" ".join(rng.choice(words + ["the", "a", "my"], size=rng.randint(3, 8))))
    labels.append(topic)
vocab = tf.contrib.learn.preprocessing.VocabularyProcessor(max_document_length=8)
ids = np.array(list(vocab.fit_transform(sentences)))
labels = np.array(labels)
print("vocabulary size:", len(vocab.vocabulary_), "first:", ids[0])

tf.set_random_seed(4)
x = tf.placeholder(tf.int64, [None, 8])
y = tf.placeholder(tf.int64, [None])
embedded = tf.contrib.layers.embed_sequence(x, vocab_size=len(vocab.vocabulary_), embed_dim=8)
cell = tf.contrib.rnn.GRUCell(16)
outputs, state = tf.nn.dynamic_rnn(cell, embedded, dtype=tf.float32)
logits = tf.contrib.layers.fully_connected(state, 2, activation_fn=None)
loss = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits)
next_word = tf.contrib.layers.fully_connected(outputs, len(vocab.vocabulary_),
                                              activation_fn=None)
weights = tf.cast(tf.not_equal(x[:, 1:], 0), tf.float32)
lm_loss = tf.contrib.seq2seq.sequence_loss(next_word[:, :-1], x[:, 1:], weights)
train_op = tf.train.AdamOptimizer(0.01).minimize(loss + lm_loss)
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), y), tf.float32))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for epoch in range(8):
        for start in range(0, 300, 50):
            sess.run(train_op, {x: ids[start:start + 50], y: labels[start:start + 50]})
    test_accuracy, lm = sess.run([accuracy, lm_loss], {x: ids[300:], y: labels[300:]})
print("test accuracy %.3f, next-word loss %.3f" % (test_accuracy, lm))
assert test_accuracy > 0.9 and lm < np.log(len(vocab.vocabulary_))
