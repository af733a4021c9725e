"""Structured pruning of a Llama model in the manner of Minitron (arXiv 2407.14679, 2408.11796).

Width: one calibration pass records activations; a unit's importance is the root-mean-square
of its activation over all calibration tokens:
  * attention head groups: the head outputs entering o_proj (a group is one key/value head and
    the query heads that share it, so grouped-query attention stays valid),
  * FFN channels: the inputs of down_proj, act(gate(x)) * up(x),
  * hidden (embedding) channels: the outputs of every RMSNorm.
Depth: a layer's importance is 1 - cos(input, output) of its hidden states (ShortGPT's block
influence, arXiv 2403.03853) or the loss increase when the layer is skipped.
The pruned model is a fresh `LlamaForCausalLM` whose weights are slices of the original.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from transformers import LlamaConfig, LlamaForCausalLM


@dataclass
class Importance:
    groups: torch.Tensor  # [layers, kv_heads]
    ffn: torch.Tensor  # [layers, intermediate]
    hidden: torch.Tensor  # [hidden]
    layer_cosine: torch.Tensor  # [layers], 1 - cos(in, out)


@torch.no_grad()
def importance(model: LlamaForCausalLM, inputs: torch.Tensor, batch: int = 16) -> Importance:
    """Activation-based importance of head groups, FFN channels, hidden channels and layers."""
    cfg = model.config
    L, H, G = cfg.num_hidden_layers, cfg.num_attention_heads, cfg.num_key_value_heads
    hd = cfg.head_dim
    sq_heads = torch.zeros(L, H)
    sq_ffn = torch.zeros(L, cfg.intermediate_size)
    sq_hidden = torch.zeros(cfg.hidden_size)
    cos = torch.zeros(L)
    hooks = []
    for i, layer in enumerate(model.model.layers):

        def heads(mod, args, i=i):
            x = args[0].float().reshape(-1, H, hd)
            sq_heads[i] += x.pow(2).sum(-1).sum(0).cpu()

        def ffn(mod, args, i=i):
            sq_ffn[i] += args[0].float().reshape(-1, args[0].shape[-1]).pow(2).sum(0).cpu()

        def block(mod, args, kwargs, out, i=i):
            x = args[0] if args else kwargs["hidden_states"]
            y = out[0] if isinstance(out, tuple) else out
            cos[i] += F.cosine_similarity(x.float(), y.float(), dim=-1).sum().cpu()

        hooks += [
            layer.self_attn.o_proj.register_forward_pre_hook(heads),
            layer.mlp.down_proj.register_forward_pre_hook(ffn),
            layer.register_forward_hook(block, with_kwargs=True),
        ]
    norms = [m for m in model.modules() if type(m).__name__.endswith("RMSNorm")]

    def hidden(mod, args, out):
        sq_hidden.add_(out.float().reshape(-1, out.shape[-1]).pow(2).sum(0).cpu())

    hooks += [n.register_forward_hook(hidden) for n in norms]
    device = next(model.parameters()).device
    try:
        for s in range(0, len(inputs), batch):
            model(input_ids=inputs[s : s + batch].to(device))
    finally:
        for h in hooks:
            h.remove()
    n = inputs.numel()
    rms_heads = (sq_heads / n).sqrt()
    return Importance(
        groups=rms_heads.reshape(L, G, H // G).sum(-1),
        ffn=(sq_ffn / n).sqrt(),
        hidden=(sq_hidden / (n * len(norms))).sqrt(),
        layer_cosine=1.0 - cos / n,
    )


@torch.no_grad()
def skip_loss(
    model: LlamaForCausalLM, inputs: torch.Tensor, targets: torch.Tensor, batch: int = 16
) -> torch.Tensor:
    """Held-out loss of the model with each layer removed in turn (higher = more important)."""
    layers = model.model.layers
    out = torch.zeros(len(layers))
    device = next(model.parameters()).device
    try:
        for i in range(len(layers)):
            model.model.layers = torch.nn.ModuleList([m for j, m in enumerate(layers) if j != i])
            for s in range(0, len(inputs), batch):
                logits = model(input_ids=inputs[s : s + batch].to(device)).logits.float()
                y = targets[s : s + batch].to(device).flatten()
                out[i] += F.cross_entropy(logits.flatten(0, 1), y, reduction="sum").cpu()
    finally:
        model.model.layers = layers
    return out / targets.numel()


def top(scores: torch.Tensor, n: int) -> torch.Tensor:
    """Indices of the n largest scores, in their original order (keeps weight layouts)."""
    return scores.topk(n).indices.sort().values


def prune(
    model: LlamaForCausalLM,
    keep_layers: list[int],
    keep_groups: torch.Tensor,
    keep_ffn: torch.Tensor,
    keep_hidden: torch.Tensor,
) -> LlamaForCausalLM:
    """Slice the weights: layers `keep_layers`; per kept layer i, groups keep_groups[i] and FFN
    channels keep_ffn[i] (indices into the original layer); hidden channels keep_hidden."""
    cfg = model.config
    rep = cfg.num_attention_heads // cfg.num_key_value_heads
    hd = cfg.head_dim
    new_cfg = LlamaConfig(
        **{
            **cfg.to_dict(),
            "num_hidden_layers": len(keep_layers),
            "num_key_value_heads": keep_groups.shape[1],
            "num_attention_heads": keep_groups.shape[1] * rep,
            "intermediate_size": keep_ffn.shape[1],
            "hidden_size": len(keep_hidden),
            "head_dim": hd,
        }
    )
    new = LlamaForCausalLM(new_cfg).to(next(model.parameters()).dtype)
    old = model.state_dict()
    h = keep_hidden
    sd = {
        "model.embed_tokens.weight": old["model.embed_tokens.weight"][:, h],
        "model.norm.weight": old["model.norm.weight"][h],
        "lm_head.weight": old["lm_head.weight"][:, h],
    }
    for i, src in enumerate(keep_layers):
        p, q = f"model.layers.{src}.", f"model.layers.{i}."
        g = keep_groups[i]
        kv_rows = (g[:, None] * hd + torch.arange(hd)).flatten()
        q_heads = (g[:, None] * rep + torch.arange(rep)).flatten()
        q_rows = (q_heads[:, None] * hd + torch.arange(hd)).flatten()
        f = keep_ffn[i]
        sd |= {
            q + "input_layernorm.weight": old[p + "input_layernorm.weight"][h],
            q + "post_attention_layernorm.weight": old[p + "post_attention_layernorm.weight"][h],
            q + "self_attn.q_proj.weight": old[p + "self_attn.q_proj.weight"][q_rows][:, h],
            q + "self_attn.k_proj.weight": old[p + "self_attn.k_proj.weight"][kv_rows][:, h],
            q + "self_attn.v_proj.weight": old[p + "self_attn.v_proj.weight"][kv_rows][:, h],
            q + "self_attn.o_proj.weight": old[p + "self_attn.o_proj.weight"][h][:, q_rows],
            q + "mlp.gate_proj.weight": old[p + "mlp.gate_proj.weight"][f][:, h],
            q + "mlp.up_proj.weight": old[p + "mlp.up_proj.weight"][f][:, h],
            q + "mlp.down_proj.weight": old[p + "mlp.down_proj.weight"][h][:, f],
        }
    if cfg.tie_word_embeddings:
        sd.pop("lm_head.weight")
    new.load_state_dict(sd, strict=not cfg.tie_word_embeddings)
    return new
