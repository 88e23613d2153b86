"""Frame stores vs frame folders: the bytes of 5 random frames per clip read from a warm page cache (one file per frame,
with the names known and listed by `frame_files` for each clip; the packed store with `os.pread`, and with
`mmap` for comparison; the SQLite store), then whole clips decoded at 112 px. Measured in one run, in turns; prints
clips/s and the ratios the `fastvideo.data.store` notebook quotes.

    python bench/stores.py                 # about 2.5 minutes on 2 CPU cores
    python bench/stores.py --n-clips 3000  # quicker, noisier
"""
import argparse, io, mmap, random, shutil, struct, tempfile, time
from pathlib import Path
import numpy as np
from PIL import Image
from fastvideo.all import *
from fastvideo.data.store import _HDR, _MAGIC

def jpeg(f, q=90):
    b = io.BytesIO(); Image.fromarray(f).save(b, 'JPEG', quality=q); return b.getvalue()

def best_rates(fns, n_items, rounds):
    "Items per second of each of `fns` (a dict), the best of `rounds` runs taken in turns"
    best = {k:0. for k in fns}
    for _ in range(rounds):
        for k,f in fns.items():
            start = time.perf_counter(); f(); best[k] = max(best[k], n_items/(time.perf_counter()-start))
    return best

def material(root, n_videos, n_frames, hw):
    "`n_videos` copies of one video's JPEG frames, as frame folders and as both kinds of store"
    jpgs = [jpeg(f) for f in motion_video_frames('MoveCloser', n_frames=n_frames, size=hw)]
    for v in range(n_videos):
        (root/f'v{v}').mkdir()
        for i,b in enumerate(jpgs): (root/f'v{v}'/f'{i}.jpg').write_bytes(b)
        for k in store_kinds: write_frame_store(jpgs, root/f'v{v}', k)
    return jpgs

def run(n_videos, n_frames, hw, n_clips, rounds):
    root = Path(tempfile.mkdtemp(prefix='fastvideo-stores-'))
    try:
        jpgs = material(root, n_videos, n_frames, hw)
        def files(v, idxs):
            out = []
            for i in idxs:
                with open(root/f'v{v}'/f'{i}.jpg', 'rb') as f: out.append(f.read())
            return out
        def listed(v, idxs):
            fs = frame_files(root/f'v{v}')
            out = []
            for i in idxs:
                with open(fs[i], 'rb') as f: out.append(f.read())
            return out
        def store(ext):
            def _f(v, idxs):
                with open_frame_store(root/f'v{v}{ext}') as s: return [s.frame_bytes(i) for i in idxs]
            return _f
        def pack_mmap(v, idxs):
            with open(root/f'v{v}.frames', 'rb') as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
                magic,_,_,n,ix = _HDR.unpack_from(m, 0)
                assert magic==_MAGIC and ix+8*(n+1)==len(m)
                return [m[slice(*struct.unpack_from('<QQ', m, ix+8*i))] for i in idxs]
        meths = {'files': files, 'listed': listed, 'pread': store('.frames'), 'mmap': pack_mmap, 'sqlite': store('.db')}
        rng = random.Random(0)
        jobs = [(rng.randrange(n_videos), rng.sample(range(n_frames), 5)) for _ in range(n_clips)]
        for f in meths.values():
            for v in range(n_videos): assert f(v, [0, 1])==jpgs[:2] # the same bytes everywhere; warms the page cache
        r = best_rates({k:(lambda f=f: [f(v, idxs) for v,idxs in jobs]) for k,f in meths.items()}, n_clips, rounds)
        dec_jobs = [v for v,_ in jobs[:n_clips//10]]
        d = best_rates({'folder': lambda: [read_clip(root/f'v{v}', 5, 'segment', train=True, size=112) for v in dec_jobs],
                        'pack': lambda: [read_store_clip(root/f'v{v}.frames', 5, sampling='segment', train=True, size=112) for v in dec_jobs],
                        'sqlite': lambda: [read_store_clip(root/f'v{v}.db', 5, sampling='segment', train=True, size=112) for v in dec_jobs]},
                       len(dec_jobs), rounds)
    finally: shutil.rmtree(root, ignore_errors=True)
    print(f'\n{n_videos} videos of {n_frames} frames of {hw[1]}x{hw[0]} ({np.mean([len(b) for b in jpgs])/1e3:.1f} kB each), 5 random frames per clip, best of {rounds} runs')
    rows = [('bytes: one file per frame, names known', r['files'], 'clips/s'),
            ("bytes: one file per frame, listed by frame_files each time", r['listed'], 'clips/s'),
            ("bytes: 'pack', os.pread (fastvideo's reader)", r['pread'], 'clips/s'),
            ("bytes: 'pack', mmap", r['mmap'], 'clips/s'),
            ("bytes: 'sqlite'", r['sqlite'], 'clips/s'),
            ("'pack' / files with names known", r['pread']/r['files'], 'x'),
            ("'pack' / files listed", r['pread']/r['listed'], 'x'),
            ("'pack' / 'sqlite'", r['pread']/r['sqlite'], 'x'),
            ("'pack' pread / mmap", r['pread']/r['mmap'], 'x'),
            ('decoded at 112 px: frame folder (read_clip)', d['folder'], 'clips/s'),
            ("decoded at 112 px: 'pack' (read_store_clip)", d['pack'], 'clips/s'),
            ("decoded at 112 px: 'sqlite' (read_store_clip)", d['sqlite'], 'clips/s'),
            ("decoded: 'pack' / folder", d['pack']/d['folder'], 'x'),
            ("decoded: 'pack' / 'sqlite'", d['pack']/d['sqlite'], 'x')]
    w = max(len(o[0]) for o in rows)
    for name,v,unit in rows: print(f'{name:<{w}} {v:>10.2f} {unit}')

if __name__=='__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--n-clips', type=int, default=10000)
    p.add_argument('--rounds', type=int, default=3)
    a = p.parse_args()
    for n_videos,hw in ((300, (128, 171)), (150, (240, 320))): run(n_videos, 100, hw, a.n_clips, a.rounds)
