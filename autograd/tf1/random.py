"""tf.random: TF 1.15's names for the random ops and candidate samplers."""
import autograd as _ag

categorical = _ag.categorical
gamma = _ag.random_gamma
log_uniform_candidate_sampler = _ag.log_uniform_candidate_sampler
multinomial = _ag.categorical
normal = _ag.random_normal
poisson = _ag.random_poisson
set_random_seed = _ag.set_random_seed
shuffle = _ag.random_shuffle
truncated_normal = _ag.truncated_normal
uniform = _ag.random_uniform
uniform_candidate_sampler = _ag.uniform_candidate_sampler
