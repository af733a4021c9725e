"""The top-k cache: round trip through safetensors, its size, and refusals."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from labkit.cache import CacheMismatchError, cache_report, load_cache, write_cache
from transformers import LlamaConfig, LlamaForCausalLM

import pycore

V, K = 60, 7


@pytest.fixture(scope="module")
def teacher():
    torch.manual_seed(0)
    cfg = LlamaConfig(
        vocab_size=V,
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=2,
        head_dim=8,
    )
    return LlamaForCausalLM(cfg).eval()


@pytest.fixture(scope="module")
def inputs():
    return torch.randint(V, (10, 6), generator=torch.Generator().manual_seed(1))


@pytest.fixture()
def written(teacher, inputs, tmp_path):
    paths = write_cache(
        teacher, inputs, tmp_path, name="t", k=K, T=2.0, fingerprint="abc", shard_rows=4, batch=3
    )
    return tmp_path, paths


def test_round_trip(teacher, inputs, written):
    directory, paths = written
    assert len(paths) == 3  # 10 rows in shards of 4
    cache, meta = load_cache(directory, name="t", fingerprint="abc", T=2.0)
    assert meta["k"] == str(K) and meta["vocab_size"] == str(V) and meta["teacher"] == "t"
    with torch.no_grad():
        t = teacher(input_ids=inputs).logits.double().numpy()
    ref = pycore.topk_teacher(t, K, T=2.0)
    assert cache.ids.shape == (10, 6, K)
    np.testing.assert_array_equal(cache.ids.numpy(), ref.indices)
    np.testing.assert_allclose(cache.probs.numpy(), ref.probs, rtol=1e-3, atol=1e-4)  # float16
    np.testing.assert_allclose(cache.tail.numpy(), ref.tail, rtol=1e-3, atol=1e-4)


def test_bytes_match_pycore(written, inputs):
    _, paths = written
    report = cache_report(paths, inputs.numel())
    # int16 ids, float16 values and tail
    assert report["payload_bytes_per_token"] == pycore.logit_cache_bytes(
        1, V, k=K, value_bytes=2, index_bits=16
    )
    assert report["file_bytes_per_token"] > report["payload_bytes_per_token"]


def test_other_tokenizer_is_refused(written):
    with pytest.raises(
        CacheMismatchError, match="tokenizer abc but the student uses tokenizer xyz"
    ):
        load_cache(written[0], name="t", fingerprint="xyz", T=2.0)


def test_other_temperature_is_refused(written):
    with pytest.raises(CacheMismatchError, match="temperature"):
        load_cache(written[0], name="t", fingerprint="abc", T=1.0)


def test_k_larger_than_vocabulary_fails_before_running_the_teacher(teacher, inputs, tmp_path):
    with pytest.raises(ValueError, match=f"k={V + 1} but the vocabulary has {V} tokens"):
        write_cache(teacher, inputs, tmp_path, name="t", k=V + 1, T=1.0, fingerprint="abc")
    assert not list(tmp_path.glob("*.safetensors"))


def test_missing_cache_names_the_directory(tmp_path):
    with pytest.raises(FileNotFoundError, match=str(tmp_path)):
        load_cache(tmp_path, name="t", fingerprint="abc", T=1.0)


def test_full_k_keeps_everything(teacher, inputs, tmp_path):
    write_cache(teacher, inputs, tmp_path, name="t", k=V, T=1.0, fingerprint="abc")
    cache, _ = load_cache(tmp_path, name="t", fingerprint="abc", T=1.0)
    with torch.no_grad():
        p = F.softmax(teacher(input_ids=inputs).logits, -1)
    torch.testing.assert_close(cache.probs.sum(-1), torch.ones(10, 6), atol=2e-3, rtol=0)
    assert float(cache.tail.abs().max()) == 0.0
    assert float((p.gather(-1, cache.ids) - cache.probs).abs().max()) < 1e-3
