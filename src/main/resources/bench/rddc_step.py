"""The PyTorch peer of seqclust's `bench`: one RDDC training step, timed on the batch bench wrote.

The same network as seqclust's rddc (a stacked bidirectional GRU over packed sequences, the last layer's
final states of both directions, BatchNorm, a ReLU layer, a softmax layer), the DDC loss as its authors
wrote it (DanielTrosten/mvc), Adam with global gradient-norm clipping. The batch is packed once, outside
the timed steps, which favours the peer. Run by bench as

    python3 rddc_step.py BATCH_FILE HIDDEN LAYERS DENSE LEARNING_RATE CLIP_NORM STEPS THREADS...

BATCH_FILE: a first line "k D", then one sequence per line, its T x D values row by row. Prints, for each
thread count, a line "threads N: X ms/step".
"""
import sys
import time

import torch
from torch import nn
from torch.nn.utils.rnn import pack_sequence

EPSILON = 1e-9


class Rddc(nn.Module):
    def __init__(self, dims, k, hidden, layers, dense):
        super().__init__()
        self.gru = nn.GRU(dims, hidden, num_layers=layers, bidirectional=True, batch_first=True)
        self.norm = nn.BatchNorm1d(2 * hidden)
        self.fc = nn.Linear(2 * hidden, dense)
        self.out = nn.Linear(dense, k)

    def forward(self, packed):
        _, last = self.gru(packed)
        encoding = torch.cat([last[-2], last[-1]], dim=1)
        hidden = torch.relu(self.fc(self.norm(encoding)))
        return torch.softmax(self.out(hidden), dim=1), hidden


def d_cs(a, kernel, k):
    nom = a.t() @ kernel @ a
    diagonal = torch.diagonal(nom)
    denominator = torch.clamp(diagonal.unsqueeze(1) @ diagonal.unsqueeze(0), min=EPSILON ** 2)
    nom = torch.clamp(nom, min=EPSILON)
    return 2 / (k * (k - 1)) * torch.sum(torch.triu(nom / torch.sqrt(denominator), diagonal=1))


def ddc_loss(a, hidden, k):
    distances = torch.relu(torch.cdist(hidden, hidden) ** 2)
    sigma2 = torch.clamp(0.15 * torch.median(distances).detach(), min=EPSILON)
    kernel = torch.exp(-distances / (2 * sigma2))
    n = a.shape[0]
    separation = d_cs(a, kernel, k)
    orthogonality = 2 / (n * (n - 1)) * torch.sum(torch.triu(a @ a.t(), diagonal=1))
    closeness = torch.exp(-torch.cdist(a, torch.eye(k)) ** 2)
    return separation + orthogonality + d_cs(closeness, kernel, k)


def read_batch(path):
    with open(path) as f:
        k, dims = (int(v) for v in f.readline().split())
        sequences = [torch.tensor([float(v) for v in line.split()]).view(-1, dims) for line in f if line.strip()]
    return k, dims, sequences


def ms_per_step(model, optimiser, packed, k, clip, steps):
    def step():
        optimiser.zero_grad()
        a, hidden = model(packed)
        ddc_loss(a, hidden, k).backward()
        nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimiser.step()

    for _ in range(5):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return (time.perf_counter() - start) * 1000 / steps


def main(args):
    path, hidden, layers, dense, rate, clip, steps = args[:7]
    k, dims, sequences = read_batch(path)
    packed = pack_sequence(sequences, enforce_sorted=False)
    for threads in (int(t) for t in args[7:]):
        torch.set_num_threads(threads)
        torch.manual_seed(0)
        model = Rddc(dims, k, int(hidden), int(layers), int(dense))
        optimiser = torch.optim.Adam(model.parameters(), lr=float(rate))
        ms = ms_per_step(model, optimiser, packed, k, float(clip), int(steps))
        print(f"threads {threads}: {ms:.3f} ms/step", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
