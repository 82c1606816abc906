from typing import List, Tuple
import math
from functools import partial
import jax
import jax.numpy as jnp


def nn_forward(x: jax.Array, theta: List[Tuple[jax.Array, jax.Array]]) -> jax.Array:
    """Neural network forward pass.

    The neural network consists of fully connected layers with tanh activation
    functions in the hidden layers and no activation function in the last
    layer.

    :param x: 1D input vector.
    :param theta: Parameters (weights and biases) of the neural network.
    :returns: 1D output vector.
    """
    for W, b in theta[:-1]:
        a = jnp.dot(W, x) + b
        x = jnp.tanh(a)
    W, b = theta[-1]
    y = jnp.dot(W, x) + b
    return y


class GaussianNNPolicy(NeuralNetwork):
    """Stochastic Gaussian policy for continuous action spaces with a neural network.

    :param observation_space: Observation space.
    :param action_space: Action space.
    :param hidden_nodes: Numbers of hidden nodes per hidden layer.
    :param key: Jax pseudo random number generator key for sampling network parameters and actions.
    """
    observation_space: gym.spaces.Space
    action_space: gym.spaces.Space
    theta = jax.Array
    sampling_key: jax.random.PRNGKey

    def __init__(
            self,
            observation_space: gym.spaces.Space,
            action_space: gym.spaces.Space,
            hidden_nodes: List[int],
            key: jax.random.PRNGKey):
        self.observation_space = observation_space
        self.action_space = action_space

        self.sampling_key, key = jax.random.split(key)

        sizes = [self.observation_space.shape[0]] + hidden_nodes + [2 * self.action_space.shape[0]]
        super(GaussianNNPolicy, self).__init__(sizes, key)
        self.sample_gaussian_nn = jax.jit(
            partial(sample_gaussian_nn, n_action_dims=self.action_space.shape[0]))

    def sample(self, state: jax.Array) -> jax.Array:
        self.sampling_key, key = jax.random.split(self.sampling_key)
        return self.sample_gaussian_nn(state, self.theta, key)


def sample_gaussian_nn(
        x: jax.Array, theta: List[Tuple[jax.Array, jax.Array]],
        key: jax.random.PRNGKey, n_action_dims: int) -> jax.Array:
    y = nn_forward(x, theta)
    mu, sigma = jnp.split(y, [n_action_dims])
    # TODO try distrax: https://github.com/google-deepmind/distrax
    #distrax.MultivariateNormalDiag(loc=mu, scale_diag=sigma)
    return jax.random.normal(key, shape=mu.shape) * sigma + mu


def gaussian_log_probability(state: jax.Array, action: jax.Array, theta: List[Tuple[jax.Array, jax.Array]]) -> jnp.float32:
    # https://stats.stackexchange.com/questions/404191/what-is-the-log-of-the-pdf-for-a-normal-distribution
    y = nn_forward(state, theta)
    mu, sigma = jnp.split(y, [action.shape[0]])
    return -jnp.log(sigma) - 0.5 * jnp.log(2.0 * jnp.pi) - 0.5 * jnp.square((action - mu) / sigma)


batched_gaussian_log_probability = jax.vmap(gaussian_log_probability, in_axes=(0, 0, None))


@jax.jit
def gaussian_policy_gradient_pseudo_loss(
        states: jax.Array, actions: jax.Array, returns: jax.Array,
        theta: List[Tuple[jax.Array, jax.Array]]) -> jnp.float32:
    logp = batched_gaussian_log_probability(states, actions, theta)
    return -jnp.dot(returns, logp)[0] / len(returns)  # - to perform gradient ascent with a minimizer
    # TODO why [0]? TypeError: Gradient only defined for scalar-output functions. Output had shape: (1,).



def reinforce_gradient(policy: NeuralNetwork, dataset: EpisodeDataset, gamma: float) -> jax.Array:
    """REINFORCE policy gradient update."""
    states, actions, rewards = dataset.dataset()

    states = jnp.vstack(states)
    actions = jnp.stack(actions)

    #returns = [discounted_reward_to_go(R, gamma) for R in rewards]
    returns = [reward_to_go(R) for R in rewards]
    returns = jnp.hstack(returns)

    # TODO include baseline

    if isinstance(policy, GaussianNNPolicy):  # TODO find another way without if-else
        return jax.grad(
            partial(gaussian_policy_gradient_pseudo_loss, states, actions, returns)
        )(policy.theta)
    else:
        actions -= policy.action_space.start
        return jax.grad(
            partial(softmax_policy_gradient_pseudo_loss, states, actions, returns)
        )(policy.theta)
