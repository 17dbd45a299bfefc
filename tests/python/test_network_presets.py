"""Every cluster preset runs a scenario (a 4-layer DeepSeek-V3 decode step, so the op graph
stays small) and its links table shows where the traffic went; the packet backend runs one."""
import h5py
import numpy as np
import pytest

from conftest import ROOT, strata

# preset, GPUs, expert-parallel degree, whether traffic leaves the NVLink domain
PRESETS = [
    ("hgx-h100", 8, 8, False),
    ("hgx-h800", 8, 8, False),
    ("gb200-nvl72", 72, 8, False),
    ("gb200-nvl576", 576, 64, False),
    ("h800-ib-rail-fat-tree", 256, 256, True),
    ("deepseek-v3-2048-mpft", 2048, 256, True),
]


def scenario(tmp_path, preset, gpus, ep, extra=""):
    f = tmp_path / f"{preset}.yaml"
    f.write_text(
        "version: 1\n"
        f"name: {preset}\n"
        f"base: {ROOT}/configs/clusters/{preset}.yaml\n"
        "workload:\n"
        f"  model: {{base: {ROOT}/configs/workloads/deepseek-v3.yaml, layers: 4}}\n"
        "  batch_per_gpu: 32\n"
        "  kv_len: 1024\n"
        f"parallel: {{attention_dp: {gpus}, ep: {ep}}}\n" + extra
    )
    return f


@pytest.mark.parametrize("preset,gpus,ep,leaves_domain", PRESETS)
def test_preset_runs_a_scenario(tmp_path, preset, gpus, ep, leaves_domain):
    out = tmp_path / "r.h5"
    strata("run", scenario(tmp_path, preset, gpus, ep), "-o", out, "-q", check=True)
    with h5py.File(out, "r") as f:
        assert f["summary"]["gpus"][()] == gpus
        links = f["links"]
        kind = links["kind"].asstr()[:]
        moved = links["bytes"][:]
        assert moved[kind == "scale_up"].sum() > 0  # expert traffic over NVLink
        assert (moved[kind == "scale_out"].sum() > 0) == leaves_domain
        util = links["utilisation"][:]
        assert np.all((util >= 0) & (util <= 1))
        energy = links["energy"][:]
        assert np.isclose(f["summary"]["network_energy"][()], energy.sum())
        assert f["provenance"].attrs["network_model"] == "flow"


def test_packet_backend_runs_a_scenario(tmp_path):
    flow, packet = tmp_path / "flow.h5", tmp_path / "packet.h5"
    strata("run", scenario(tmp_path, "hgx-h800", 8, 8), "-o", flow, "-q", check=True)
    p = scenario(tmp_path, "hgx-h800", 8, 8, "network: {backend: packet}\n")
    strata("run", p, "-o", packet, "-q", check=True)
    with h5py.File(flow, "r") as a, h5py.File(packet, "r") as b:
        assert b["provenance"].attrs["network_model"] == "packet"
        # The backends agree on the step within 2% (the collectives are a small part of it).
        ta, tb = a["summary"]["step_time"][()], b["summary"]["step_time"][()]
        assert abs(tb - ta) / ta < 0.02
        # ... and carry the same bytes on every NVLink.
        assert np.allclose(a["links"]["bytes"][:], b["links"]["bytes"][:], rtol=1e-9)


def test_two_nodes_without_a_fabric_is_a_clear_error(tmp_path):
    p = scenario(tmp_path, "hgx-h800", 16, 16, "cluster: {nodes: 2}\n")
    r = strata("check", p)
    assert r.returncode == 2
    assert "2 nodes need a scale-out fabric between their NVLink domains" in r.stderr
