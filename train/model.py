"""Byte-level recurrent LMs for kolmo.

LSTM (the shipped family): embedding 256xE -> L stacked nn.LSTM layers (gate order
i, f, g, o; hidden H) -> linear H->256 on the last layer's h.
GRU: the same with nn.GRU (comparison only; the WASM side implements the LSTM).

Inference semantics (what the WASM forward pass does): all h = c = 0, input byte 0
(NUL) gives the distribution of the first data byte, then each data byte is fed to
predict the next one.
"""
import torch
import torch.nn as nn


class ByteRNN(nn.Module):
    def __init__(self, arch="lstm", layers=2, embed=64, hidden=128):
        super().__init__()
        self.arch, self.layers, self.embed, self.hidden = arch, layers, embed, hidden
        self.emb = nn.Embedding(256, embed)
        cls = {"lstm": nn.LSTM, "gru": nn.GRU}[arch]
        self.rnn = cls(embed, hidden, layers, batch_first=True)
        self.out = nn.Linear(hidden, 256)

    def config(self):
        return dict(arch=self.arch, layers=self.layers, embed=self.embed, hidden=self.hidden)

    def zero_state(self, B, device="cpu"):
        z = torch.zeros(self.layers, B, self.hidden, device=device)
        return (z, z.clone()) if self.arch == "lstm" else z

    def reset_state(self, state, reset):
        """Zero the state of streams where reset (bool tensor [B]) is True."""
        keep = (~reset).float().view(1, -1, 1)
        if self.arch == "lstm":
            return (state[0] * keep, state[1] * keep)
        return state * keep

    def detach_state(self, state):
        if self.arch == "lstm":
            return (state[0].detach(), state[1].detach())
        return state.detach()

    def forward(self, x, state):
        """x: long [B, T]; returns logits [B, T, 256], new state."""
        h, state = self.rnn(self.emb(x), state)
        return self.out(h), state

    def n_params(self):
        return sum(p.numel() for p in self.parameters())

    def macs_per_byte(self):
        """Multiply-adds per byte of the forward pass (matrix products only;
        the embedding is a lookup)."""
        E, H, L = self.embed, self.hidden, self.layers
        g = 4 if self.arch == "lstm" else 3
        m = 0
        for l in range(L):
            inp = E if l == 0 else H
            m += g * H * (inp + H)
        return m + 256 * H
