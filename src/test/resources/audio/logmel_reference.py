"""An independent log-mel computation (numpy and the standard library's wave module) to check seqclust's
AudioFeatures against: python3 logmel_reference.py CLIP.wav WINDOW_MS HOP_MS BANDS MIN_HZ MAX_HZ TRIM_DB NORMALISATION
prints the T x D features as JSON."""
import json
import sys
import wave

import numpy as np


def main(path, window_ms, hop_ms, bands, min_hz, max_hz, trim_db, normalisation):
    with wave.open(path, "rb") as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1
        rate = w.getframerate()
        x = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64) / 32768.0
    # halves round up, as Java's Math.round does (Python's round() would give 1102 for 25 ms at 44.1 kHz)
    length = max(1, int(np.floor(window_ms * rate / 1000 + 0.5)))
    hop = max(1, int(np.floor(hop_ms * rate / 1000 + 0.5)))
    count = 1 if len(x) <= length else 1 + int(np.ceil((len(x) - length) / hop))
    padded = np.zeros((count - 1) * hop + length)
    padded[: len(x)] = x
    frames = np.stack([padded[i * hop: i * hop + length] for i in range(count)])
    db = 10 * np.log10(np.mean(frames ** 2, axis=1) + 1e-20)
    voiced = np.nonzero(db >= db.max() - trim_db)[0]
    frames = frames[voiced[0]: voiced[-1] + 1]
    n_fft = 1 << int(np.ceil(np.log2(length)))
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(length) / length)
    power = np.abs(np.fft.rfft(frames * window, n=n_fft, axis=1)) ** 2
    mel = lambda f: 2595 * np.log10(1 + f / 700)
    hz = lambda m: 700 * (10 ** (m / 2595) - 1)
    edges = hz(np.linspace(mel(min_hz), mel(max_hz), bands + 2))
    freqs = np.arange(n_fft // 2 + 1) * rate / n_fft
    rising = (freqs[None, :] - edges[:-2, None]) / (edges[1:-1, None] - edges[:-2, None])
    falling = (edges[2:, None] - freqs[None, :]) / (edges[2:, None] - edges[1:-1, None])
    bank = np.maximum(0, np.minimum(rising, falling))
    logmel = np.log(power @ bank.T + 1e-10)
    if normalisation == "band":
        sd = logmel.std(axis=0)
        logmel = (logmel - logmel.mean(axis=0)) / np.where(sd ** 2 > 1e-12, sd, 1)
    elif normalisation == "utterance":
        sd = logmel.std()
        logmel = (logmel - logmel.mean()) / (sd if sd ** 2 > 1e-12 else 1)
    print(json.dumps(logmel.tolist()))


if __name__ == "__main__":
    a = sys.argv[1:]
    main(a[0], float(a[1]), float(a[2]), int(a[3]), float(a[4]), float(a[5]), float(a[6]), a[7])
