"""Why fastvideo's worker processes send their batches with PyTorch's default sharing strategy, 'file_descriptor', and not
'file_system': measures, in one run, the 2-worker loader's clips/s and the main process's CPU time per batch with each
(the loader benchmark's material and output: 320x240 frames, 5 frames of 64 px, bs 8, float batches), then what each
leaves in /dev/shm while the main process lives on, after the workers are stopped in the middle of an epoch (as
`shutdown_workers`, or a loader dropped after an interrupted `fit`, stops them).

    python bench/sharing.py      # about a minute on 2 CPU cores (56 s in its run on 2026-11-22)
"""
import argparse, os, random, resource, shutil, tempfile, time, warnings
from pathlib import Path
import numpy as np
import torch.multiprocessing as tmp
from fastvideo.all import *
from loader import make_videos # (bench/loader.py)

warnings.filterwarnings('ignore')
strategies = ('file_descriptor', 'file_system')

def material(root, n_videos):
    "The loader benchmark's UCF-like videos and their frames, extracted by fastvideo: the frame folders"
    extract_all_frames(make_videos(root/'videos', n_videos), root/'frames', n_workers=2, progress=False, verbose=False)
    return L(sorted(read_frame_counts(root/'frames')))

def loader(items, strategy, bs=8):
    "A 2-worker loader whose workers, started now, send batches with `strategy` (the main process keeps its own)"
    dl = get_action_dataloaders(items, bs=bs, image_size=64, seq_len=5, sampling='first', val_idxs=[],
                                batch_tfms=[Normalize.from_stats(*imagenet_stats)], dl_kwargs=dict(num_workers=2, shuffle=False, drop_last=False)).train
    old = tmp.get_sharing_strategy()
    tmp.set_sharing_strategy(strategy) # read by the workers, which fork with it, when they pickle a batch
    try:
        for _ in dl: pass # starts the workers (kept from one pass to the next)
    finally: tmp.set_sharing_strategy(old)
    return dl

def shm(): return {f for f in os.listdir('/dev/shm') if f.startswith('torch_')}

def main(a):
    root = Path(tempfile.mkdtemp(prefix='fastvideo-sharing-'))
    try:
        folders = material(root, a.n_videos)
        items = folders*max(1, -(-512//len(folders)))
        defaults.kept_loaders = max(defaults.kept_loaders, len(strategies))
        dls = {s:loader(items, s) for s in strategies}
        res = {s:[] for s in strategies}
        for _ in range(a.rounds): # in turns, in a random order each round
            for s in random.sample(strategies, len(strategies)):
                dl = dls[s]
                r0,t0 = resource.getrusage(resource.RUSAGE_SELF),time.perf_counter()
                for _ in dl: pass
                t,r1 = time.perf_counter()-t0,resource.getrusage(resource.RUSAGE_SELF)
                res[s].append((len(items)/t, (r1.ru_utime+r1.ru_stime-r0.ru_utime-r0.ru_stime)/len(dl)*1e3))
        left = {}
        for s,dl in dls.items(): # stop the workers with batches in flight: two taken, more prefetched
            before = shm()
            it = iter(dl); next(it); next(it); time.sleep(1)
            dl.shutdown_workers(); del it; time.sleep(1)
            new = shm()-before
            left[s] = (len(new), sum(os.path.getsize(f'/dev/shm/{f}') for f in new if os.path.exists(f'/dev/shm/{f}'))/2**20)
        print(f'\n2-worker loader, {len(folders)} videos, 5 frames of 64 px, bs 8, float batches; medians of {a.rounds} epochs of {len(items)} clips taken in turns')
        print(f'{"sharing strategy":<18} {"clips/s":>8} {"main CPU ms/batch":>18} {"left in /dev/shm after a stop mid-epoch":>40}')
        for s in strategies:
            v,ms = np.median(res[s], 0)
            print(f'{s:<18} {v:>8.1f} {ms:>18.2f} {f"{left[s][0]} files, {left[s][1]:.1f} MiB":>40}')
        ratio = np.median([b[0]/a_[0] for a_,b in zip(res['file_descriptor'], res['file_system'])])
        print(f'file_system / file_descriptor, clips/s (median of the rounds\' ratios): {ratio:.2f} x')
        print(f'main CPU saved per batch by file_system: {np.median(res["file_descriptor"], 0)[1]-np.median(res["file_system"], 0)[1]:.2f} ms')
    finally: shutil.rmtree(root, ignore_errors=True)

if __name__=='__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--n-videos', type=int, default=16)
    p.add_argument('--rounds', type=int, default=8)
    main(p.parse_args())
