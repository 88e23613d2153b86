"""Why fastvideo does not use FFmpeg's reduced-resolution decoding (`lowres`): measures, in one run, how much faster the
MPEG-4 decoder is at 1/2 and 1/4 resolution and how far its frames drift from a full decode resized by PIL, on textured,
moving 320x240 video with a keyframe every 12 and every 300 frames.

    python bench/lowres.py      # about 30 seconds on 2 CPU cores
"""
import tempfile, time
from pathlib import Path
import av, numpy as np, torch
from PIL import Image
from fastvideo.data.synthetic import motion_video_frames
from fastvideo.data.read import _resize_clip

def textured_video(fn, gop, n_frames=150):
    "A 320x240 MPEG-4 video of the synthetic motion with a smooth random texture sliding under it"
    rng = np.random.default_rng(0)
    tex = np.asarray(Image.fromarray(rng.integers(0, 60, (30, 60, 3)).astype(np.uint8)).resize((480, 240), Image.BICUBIC)).astype(np.int16)
    frames = motion_video_frames('CloserThenAway', n_frames=n_frames, size=(240, 320))
    with av.open(str(fn), 'w') as c:
        s = c.add_stream('mpeg4', rate=25)
        s.width,s.height,s.pix_fmt,s.bit_rate = 320,240,'yuv420p',1_500_000
        s.codec_context.gop_size = gop
        for i,f in enumerate(frames):
            f = np.clip(f.astype(np.int16)+tex[:, i:i+320]-30, 0, 255).astype(np.uint8)
            c.mux(s.encode(av.VideoFrame.from_ndarray(f, format='rgb24')))
        c.mux(s.encode())
    return fn

def decode(fn, lowres, rgb=True):
    with av.open(str(fn)) as c:
        s = c.streams.video[0]
        if lowres: s.codec_context.options = {'lowres': str(lowres)}
        return [f.to_ndarray(format='rgb24') if rgb else f for f in c.decode(s)]

def main():
    with tempfile.TemporaryDirectory(prefix='fastvideo-lowres-') as tmp:
        root = Path(tmp)
        print(f'{"keyframe every":>15} {"lowres":>6} {"decode speed vs full":>21} {"mean |diff| /255":>17} {"max over frames":>16}')
        for gop in (12, 300):
            fn = textured_video(root/f'gop{gop}.avi', gop)
            plain = np.stack([np.asarray(Image.fromarray(f).resize((64, 64), Image.BILINEAR, box=(40, 0, 280, 240))) for f in decode(fn, 0)]).astype(float)
            times = {l:[] for l in (0, 1, 2)}
            for _ in range(5):
                for l in times:
                    start = time.perf_counter(); decode(fn, l, rgb=False); times[l].append(time.perf_counter()-start)
            t0 = np.median(times[0])
            for l in (1, 2):
                out = _resize_clip(torch.from_numpy(np.stack(decode(fn, l))), 64).permute(0, 2, 3, 1).numpy().astype(float)
                d = np.abs(out-plain).mean(axis=(1, 2, 3))
                print(f'{gop:>15} {l:>6} {t0/np.median(times[l]):>20.2f}x {d.mean():>17.2f} {d.max():>16.2f}')

if __name__=='__main__': main()
