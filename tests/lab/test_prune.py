"""Structured pruning: shapes, and equality with the original on kept channels."""

import pytest
import torch
from labkit.prune import importance, prune, skip_loss, top
from transformers import LlamaConfig, LlamaForCausalLM

L, H, G, HD, FFN, HID, V = 3, 4, 2, 8, 48, 32, 50


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    cfg = LlamaConfig(
        vocab_size=V,
        hidden_size=HID,
        intermediate_size=FFN,
        num_hidden_layers=L,
        num_attention_heads=H,
        num_key_value_heads=G,
        head_dim=HD,
    )
    return LlamaForCausalLM(cfg).eval()


@pytest.fixture(scope="module")
def x():
    return torch.randint(V, (3, 10), generator=torch.Generator().manual_seed(1))


def everything(n_layers=L):
    return (
        list(range(n_layers)),
        torch.arange(G).expand(n_layers, G),
        torch.arange(FFN).expand(n_layers, FFN),
        torch.arange(HID),
    )


def logits(m, x):
    with torch.no_grad():
        return m(input_ids=x).logits


def test_importance_shapes(model, x):
    imp = importance(model, x)
    assert imp.groups.shape == (L, G) and imp.ffn.shape == (L, FFN) and imp.hidden.shape == (HID,)
    assert imp.layer_cosine.shape == (L,) and (imp.groups > 0).all() and (imp.ffn >= 0).all()
    assert skip_loss(model, x, x).shape == (L,)


def test_keeping_everything_is_the_same_model(model, x):
    torch.testing.assert_close(logits(prune(model, *everything()), x), logits(model, x))


def test_pruned_shapes(model, x):
    imp = importance(model, x)
    keep = [0, 2]
    small = prune(
        model,
        keep,
        torch.stack([top(imp.groups[i], 1) for i in keep]),
        torch.stack([top(imp.ffn[i], 20) for i in keep]),
        top(imp.hidden, 24),
    )
    c = small.config
    assert (c.num_hidden_layers, c.num_key_value_heads, c.num_attention_heads) == (2, 1, 2)
    assert (c.intermediate_size, c.hidden_size, c.head_dim) == (20, 24, HD)
    layer = small.model.layers[1]
    assert layer.self_attn.q_proj.weight.shape == (2 * HD, 24)
    assert layer.self_attn.k_proj.weight.shape == (HD, 24)
    assert layer.self_attn.o_proj.weight.shape == (24, 2 * HD)
    assert layer.mlp.down_proj.weight.shape == (24, 20)
    assert small.lm_head.weight.shape == (V, 24)
    assert logits(small, x).shape == (3, 10, V)


def masked_copy(model, **zero):
    """The original model with the dropped units' output weights set to zero."""
    m = LlamaForCausalLM(model.config).eval()
    m.load_state_dict(model.state_dict())
    with torch.no_grad():
        for i, layer in enumerate(m.model.layers):
            if "ffn" in zero:
                drop = torch.ones(FFN, dtype=torch.bool)
                drop[zero["ffn"][i]] = False
                layer.mlp.down_proj.weight[:, drop] = 0
            if "groups" in zero:
                for g in set(range(G)) - set(zero["groups"][i].tolist()):
                    rows = slice(g * (H // G) * HD, (g + 1) * (H // G) * HD)
                    layer.self_attn.o_proj.weight[:, rows] = 0
            if i in zero.get("layers", ()):
                layer.self_attn.o_proj.weight.zero_()
                layer.mlp.down_proj.weight.zero_()
    return m


def test_ffn_pruning_equals_original_with_dropped_channels_zeroed(model, x):
    layers, groups, _, hidden = everything()
    keep = torch.stack(
        [
            torch.randperm(FFN, generator=torch.Generator().manual_seed(i))[:17].sort().values
            for i in range(L)
        ]
    )
    torch.testing.assert_close(
        logits(prune(model, layers, groups, keep, hidden), x),
        logits(masked_copy(model, ffn=keep), x),
    )


def test_head_group_pruning_equals_original_with_dropped_heads_zeroed(model, x):
    layers, _, ffn, hidden = everything()
    keep = torch.tensor([[1], [0], [1]])
    torch.testing.assert_close(
        logits(prune(model, layers, keep, ffn, hidden), x),
        logits(masked_copy(model, groups=keep), x),
    )


def test_layer_pruning_equals_original_with_layer_silenced(model, x):
    _, groups, ffn, hidden = everything(2)
    torch.testing.assert_close(
        logits(prune(model, [0, 2], groups, ffn, hidden), x),
        logits(masked_copy(model, layers=[1]), x),
    )
