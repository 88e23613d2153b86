"""Loader benchmark: builds its own UCF-like material (320x240 MPEG-4 .avi, frames extracted by fastvideo), measures
everything in one run on this machine and prints clips/s and the ratios the issue sets targets for.

    python bench/loader.py                 # about 5 minutes on 2 CPU cores
    python bench/loader.py --n-videos 16 --rounds 1
"""
import argparse, os, shutil, subprocess, sys, tempfile, time, warnings
from pathlib import Path
import numpy as np
from fastvideo.all import *
from fastvideo.data.read import _load_image
import av

warnings.filterwarnings('ignore')

def make_material(root, n_videos, n_frames=150):
    "UCF-like videos (320x240, MPEG-4 in AVI, ~6 s at 25 fps) and their frames, extracted by fastvideo"
    videos = root/'videos'
    if not videos.exists():
        classes = list(motion_classes)
        for i in range(n_videos):
            cls = classes[i % len(classes)]
            g,c = i//len(classes)+1, 1
            write_video(videos/cls/f'v_{cls}_g{g:02d}_c{c:02d}.avi', motion_video_frames(cls, g, c, size=(240, 320), n_frames=n_frames))
    frames,stores = root/'frames',root/'stores'
    extract_all_frames(videos, frames, n_workers=2, progress=False, verbose=False)
    extract_all_frames(videos, stores, n_workers=2, progress=False, verbose=False, store='pack')
    return videos, frames, stores

def best_rate(f, n_items, rounds):
    "Items per second: the best of `rounds` runs of `f`"
    best = 0
    for _ in range(rounds):
        start = time.perf_counter(); f(); best = max(best, n_items/(time.perf_counter()-start))
    return best

# ---- the UCF101 tutorial's pipeline, rebuilt as the reference ----
class TutorialTuple(fastuple):
    "The tutorial's ImageTuple: a tuple of PILImages"
class TutorialTupleTfm(Transform):
    "The tutorial's ImageTupleTfm: the first `seq_len` frames, sorted numerically, as PILImages"
    def __init__(self, seq_len=5): self.seq_len = seq_len
    def encodes(self, path:Path):
        frames = path.ls().sorted(key=lambda f: int(f.with_suffix('').name))
        return TutorialTuple(tuple(PILImage.create(f) for f in frames[:self.seq_len]))

def tutorial_dls(items, bs, size, seq_len, num_workers):
    ds = Datasets(items, tfms=[[TutorialTupleTfm(seq_len)], [parent_label, Categorize]], splits=[list(range(len(items))), []])
    return ds.dataloaders(bs=bs, after_item=[Resize(size), ToTensor], after_batch=[IntToFloatTensor, Normalize.from_stats(*imagenet_stats)],
                          num_workers=num_workers, shuffle=False, drop_last=False)

def fastvideo_dls(items, bs, size, seq_len, num_workers, sampling='first'):
    return get_action_dataloaders(items, bs=bs, image_size=size, seq_len=seq_len, sampling=sampling, val_idxs=[],
                                  batch_tfms=[Normalize.from_stats(*imagenet_stats)],
                                  dl_kwargs=dict(num_workers=num_workers, shuffle=False, drop_last=False))

def epoch(dl):
    for _ in dl: pass

def main(a):
    root = Path(a.dir or tempfile.mkdtemp(prefix='fastvideo-bench-'))
    t0 = time.time()
    videos, frames, stores = make_material(root, a.n_videos)
    vids = L(sorted(get_files(videos, extensions=['.avi'])))
    folders = L(sorted(read_frame_counts(frames)))
    n = len(folders)
    print(f'material: {n} videos of 150 frames, 320x240, in {root} ({time.time()-t0:.0f}s); CPU threads {torch.get_num_threads()}, cores {os.cpu_count()}')
    rows = []
    def row(name, value, unit, target=None, ok=None):
        rows.append((name, value, unit, target or '', '' if ok is None else ('pass' if ok else 'MISS')))
        print(f'  {name}: {value:.2f} {unit}', flush=True)

    bs,size,seq_len = 8,64,5
    # 1. tutorial pipeline vs fastvideo from frames, same output; epochs of >= 256 clips so worker start-up counts little
    ep = folders * max(1, -(-256 // n))
    for w in (0, 2):
        tdl = tutorial_dls(ep, bs, size, seq_len, w).train
        tut = best_rate(lambda: epoch(tdl), len(ep), a.rounds)
        dl = fastvideo_dls(ep, bs, size, seq_len, w).train
        fv = best_rate(lambda: epoch(dl), len(ep), a.rounds)
        row(f'tutorial pipeline, {w} workers', tut, 'clips/s')
        row(f'fastvideo from frames, {w} workers', fv, 'clips/s')
        row(f'fastvideo / tutorial, {w} workers', fv/tut, 'x', '>= 6', fv/tut >= 6)
    # 2. fastvideo's frame loader vs the raw decode of the same frames with the same decoder, one process
    files = [frame_files(f)[:seq_len] for f in ep]
    raw = best_rate(lambda: [np.stack([_load_image(f, size, 'crop') for f in fs]) for fs in files], len(ep), a.rounds)
    dl = fastvideo_dls(ep, bs, size, seq_len, 0).train
    fv0 = best_rate(lambda: epoch(dl), len(ep), a.rounds)
    row('raw decode (PIL draft + resize), 1 process', raw, 'clips/s')
    row('fastvideo loader / raw decode', fv0/raw, 'x', '>= 0.8', fv0/raw >= 0.8)
    # 3. clips straight from the videos: fastvideo (seeking) vs PyAV baselines
    idxs = [clip_indices(150, seq_len, 'segment') for _ in vids]
    fvv = best_rate(lambda: [read_clip(v, seq_len, size=size) for v in vids], n, a.rounds)
    def pyav_sequential(v, ix):
        want, out = set(ix), {}
        with av.open(str(v)) as c:
            for i,fr in enumerate(c.decode(video=0)):
                if i in want: out[i] = fr.to_ndarray(width=85, height=64, format='rgb24')
                if i >= max(ix): break
        return out
    def pyav_seek(v, ix):
        out = {}
        with av.open(str(v)) as c:
            s = c.streams.video[0]
            for i in ix:
                c.seek(int(i/(s.average_rate*s.time_base)), stream=s)
                for fr in c.decode(s):
                    if fr.pts >= i/(s.average_rate*s.time_base): out[i] = fr.to_ndarray(width=85, height=64, format='rgb24'); break
        return out
    seq = best_rate(lambda: [pyav_sequential(v, ix) for v,ix in zip(vids, idxs)], n, a.rounds)
    sk = best_rate(lambda: [pyav_seek(v, ix) for v,ix in zip(vids, idxs)], n, a.rounds)
    row('fastvideo from .avi (5 frames, 64 px)', fvv, 'clips/s')
    row('PyAV decode up to the last frame', seq, 'clips/s')
    row('PyAV seek per frame', sk, 'clips/s')
    try:
        from torchcodec.decoders import VideoDecoder
        tc = best_rate(lambda: [VideoDecoder(str(v)).get_frames_at(list(map(int, ix))) for v,ix in zip(vids, idxs)], n, a.rounds)
        row('torchcodec sparse decode', tc, 'clips/s'); row('fastvideo / torchcodec', fvv/tc, 'x', '>= 1.0', fvv/tc >= 1)
    except Exception as e:
        print(f'  torchcodec not available ({type(e).__name__}): comparing with PyAV seeking')
        row('fastvideo / PyAV seeking', fvv/sk, 'x', '>= 1.0', fvv/sk >= 1)
    # 4. packed store (one file per video) vs one file per frame, warm page cache, 5 random frames per clip
    from fastvideo.data.store import open_frame_store
    packs = L(sorted(read_frame_counts(stores)))
    rng = np.random.default_rng(0)
    picks = [sorted(rng.choice(150, seq_len, replace=False).tolist()) for _ in folders]
    def files_bytes():
        for f,ix in zip(folders, picks):
            names = sorted(os.listdir(f), key=lambda o: int(o.split('.')[0]))
            for i in ix:
                with open(os.path.join(f, names[i]), 'rb') as fh: fh.read()
    def pack_bytes():
        for p,ix in zip(packs, picks):
            with open_frame_store(p) as st: [st.frame_bytes(i) for i in ix]
    fb,pb = best_rate(files_bytes, n, 3*a.rounds),best_rate(pack_bytes, n, 3*a.rounds)
    row('read 5 frames (bytes): one file per frame', fb, 'clips/s'); row('read 5 frames (bytes): packed store', pb, 'clips/s')
    row('packed store / per-frame files, bytes', pb/fb, 'x')
    fd = best_rate(lambda: [read_clip(f, seq_len, size=size) for f in folders], n, a.rounds)
    pd_ = best_rate(lambda: [read_clip(p, seq_len, size=size) for p in packs], n, a.rounds)
    row('packed store / per-frame files, with decode', pd_/fd, 'x')
    # 5. frame extraction vs the ffmpeg command line, one process each
    ff = shutil.which('ffmpeg')
    sub = vids[:min(8, len(vids))]
    if ff:
        out = root/'extract'
        def ours():
            shutil.rmtree(out, ignore_errors=True)
            for v in sub: extract_frames(v, out/v.stem, quality=90, threads=1)
        def theirs():
            shutil.rmtree(out, ignore_errors=True)
            for v in sub:
                (out/v.stem).mkdir(parents=True)
                subprocess.run([ff, '-loglevel', 'error', '-threads', '1', '-i', str(v), '-q:v', '3', '-start_number', '0', str(out/v.stem/'%d.jpg')], check=True)
        t_ours = len(sub)/best_rate(ours, len(sub), a.rounds)
        t_ff = len(sub)/best_rate(theirs, len(sub), a.rounds)
        row('extract_frames wall time', t_ours, 's'); row('ffmpeg CLI wall time', t_ff, 's')
        row('extract_frames / ffmpeg wall time', t_ours/t_ff, 'x', '<= 1.25', t_ours/t_ff <= 1.25)
    else: print('  ffmpeg not installed (apt-get install ffmpeg): extraction comparison skipped')
    # 6. TimeDistributed vs a per-frame loop, resnet18 forward+backward on 8x5x3x64x64
    body = create_body(resnet18(), pretrained=False)
    x = torch.randn(8, 5, 3, 64, 64)
    td = TimeDistributed(body)
    def folded(): td(x).sum().backward()
    def looped(): torch.stack([body(x[:, i]) for i in range(x.shape[1])], 1).sum().backward()
    folded(); looped()
    r_td, r_loop = best_rate(folded, 1, 3*a.rounds), best_rate(looped, 1, 3*a.rounds)
    row('TimeDistributed / per-frame loop', r_td/r_loop, 'x', '>= 1.3', r_td/r_loop >= 1.3)
    # 7. share of a training epoch spent waiting for data: simple model on CPU
    dls = get_action_dataloaders(folders, bs=bs, image_size=size, seq_len=seq_len, valid_pct=0.25, seed=0)
    learn = simple_learner(dls, resnet18, pretrained=False)
    waits = []
    class DataWait(Callback):
        def before_epoch(self): self.t = time.perf_counter()
        def before_batch(self): waits.append(time.perf_counter()-self.t) if self.training else None
        def after_batch(self): self.t = time.perf_counter()
    with learn.no_bar(), learn.no_logging():
        learn.fit(1, cbs=DataWait())   # warm up
        waits.clear(); start = time.perf_counter()
        learn.fit(1, cbs=DataWait())
    share = sum(waits)/(time.perf_counter()-start)
    row('epoch time waiting for data (simple model, CPU)', 100*share, '%', '< 10', share < 0.10)

    print(f'\nloader benchmark, {n} UCF-like videos, {seq_len} frames of {size} px, bs {bs}, best of {a.rounds}')
    print(f'{"measure":<50} {"value":>10} {"unit":<8} {"target":<8} result')
    for name,v,u,t,ok in rows: print(f'{name:<50} {v:>10.2f} {u:<8} {t:<8} {ok}')
    if not a.dir: shutil.rmtree(root, ignore_errors=True)

if __name__=='__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--n-videos', type=int, default=32)
    p.add_argument('--rounds', type=int, default=2)
    p.add_argument('--dir', default=None, help='keep the material in this folder (reused on the next run)')
    main(p.parse_args())
