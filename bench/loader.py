"""Loader benchmark: builds its own UCF-like material (320x240 MPEG-4 .avi, frames extracted by fastvideo), measures
everything in one run on this machine and prints clips/s and the ratios the issue sets targets for. Also: the same
videos with packed B-frames (XviD, made with the ffmpeg command line's libxvid), where it counts the frames each
reader gives for an index other than the one asked.

    python bench/loader.py                 # 2-4.5 minutes on 2 CPU cores (2m06s to 2m27s in its last runs; longer when other jobs share them)
    python bench/loader.py --n-videos 16 --rounds 1
"""
import argparse, os, resource, shutil, subprocess, sys, tempfile, time, warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
import numpy as np
from fastvideo.all import *
from fastvideo.data.read import _load_image, _resize_clip
import av

warnings.filterwarnings('ignore')

def make_videos(videos, n_videos, n_frames=150):
    "UCF-like videos (320x240, MPEG-4 in AVI, ~6 s at 25 fps) in `videos`, unless it exists"
    if videos.exists(): return videos
    classes = list(motion_classes)
    for i in range(n_videos):
        cls = classes[i % len(classes)]
        g,c = i//len(classes)+1, 1
        write_video(videos/cls/f'v_{cls}_g{g:02d}_c{c:02d}.avi', motion_video_frames(cls, g, c, size=(240, 320), n_frames=n_frames))
    return videos

def make_material(root, n_videos, n_frames=150):
    "UCF-like videos and their frames, extracted by fastvideo: as frame folders, packed stores and SQLite stores"
    videos = make_videos(root/'videos', n_videos, n_frames)
    frames,stores,dbs = root/'frames',root/'stores',root/'sqlite'
    extract_all_frames(videos, frames, n_workers=2, progress=False, verbose=False)
    extract_all_frames(videos, stores, n_workers=2, progress=False, verbose=False, store='pack')
    extract_all_frames(videos, dbs, n_workers=2, progress=False, verbose=False, store='sqlite')
    return videos, frames, stores, dbs

def rates(fns, n_items, rounds, per_round=False):
    "Items per second of each of `fns` (a dict): the median of `rounds` runs (or, if `per_round`, each run's), taken in turns so that all share the machine's ups and downs"
    res = {k:[] for k in fns}
    for _ in range(rounds):
        for k,f in fns.items():
            start = time.perf_counter(); f(); res[k].append(n_items/(time.perf_counter()-start))
    return {k:(np.array(v) if per_round else float(np.median(v))) for k,v in res.items()}

def paired(r, a, b):
    "The median over the rounds of per-round rates `r` of a's rate / b's (each round's pair ran back to back: the machine's swings between rounds cancel), and the 10th and 90th percentiles"
    q = r[a]/r[b]
    return float(np.median(q)),*np.percentile(q, [10, 90])

# ---- the UCF101 tutorial's pipeline, rebuilt as the reference ----
class TutorialTuple(fastuple):
    "The tutorial's ImageTuple: a tuple of PILImages"
class TutorialTupleTfm(Transform):
    "The tutorial's ImageTupleTfm: the first `seq_len` frames, sorted numerically, as PILImages"
    def __init__(self, seq_len=5): self.seq_len = seq_len
    def encodes(self, path:Path):
        frames = path.ls(file_exts='.jpg').sorted(key=lambda f: int(f.with_suffix('').name)) # (the tutorial's `ls()` also lists
            # the note fastvideo's extraction leaves in each folder it wrote, `.fastvideo-frames.json`)
        return TutorialTuple(tuple(PILImage.create(f) for f in frames[:self.seq_len]))

def tutorial_dls(items, bs, size, seq_len, num_workers):
    ds = Datasets(items, tfms=[[TutorialTupleTfm(seq_len)], [parent_label, Categorize]], splits=[list(range(len(items))), []])
    return ds.dataloaders(bs=bs, after_item=[Resize(size), ToTensor], after_batch=[IntToFloatTensor, Normalize.from_stats(*imagenet_stats)],
                          num_workers=num_workers, shuffle=False, drop_last=False)

def fastvideo_dls(items, bs, size, seq_len, num_workers, sampling='first', **kwargs):
    "fastvideo's loader, with the same batch transforms as the tutorial's; `kwargs` (such as `n_threads`) go to the loader"
    return get_action_dataloaders(items, bs=bs, image_size=size, seq_len=seq_len, sampling=sampling, val_idxs=[],
                                  batch_tfms=[Normalize.from_stats(*imagenet_stats)],
                                  dl_kwargs=dict(num_workers=num_workers, shuffle=False, drop_last=False, **kwargs))

def epoch(dl):
    for _ in dl: pass

def main_cpu_ms(dl, rounds):
    "The median CPU time (user + system, ms) this process takes per batch of an epoch of `dl`, over `rounds` epochs"
    def one():
        r0 = resource.getrusage(resource.RUSAGE_SELF); epoch(dl); r1 = resource.getrusage(resource.RUSAGE_SELF)
        return (r1.ru_utime+r1.ru_stime-r0.ru_utime-r0.ru_stime)/len(dl)*1e3
    return float(np.median([one() for _ in range(rounds)]))

class _Batches(torch.utils.data.Dataset):
    "Batch `i` of `files` (the frame files of each clip), decoded by `read` (files -> uint8 clip) and stacked: a bare PyTorch loader's dataset"
    def __init__(self, files, bs, read): self.files,self.bs,self.read = files,bs,read
    def __len__(self): return -(-len(self.files)//self.bs)
    def __getitem__(self, i): return torch.stack([self.read(fs) for fs in self.files[i*self.bs:(i+1)*self.bs]])

def run(a, root):
    t0 = time.time()
    videos, frames, stores, dbs = make_material(root, a.n_videos)
    vids = L(sorted(get_files(videos, extensions=['.avi'])))
    folders = L(sorted(read_frame_counts(frames)))
    n = len(folders)
    print(f'material: {n} videos of 150 frames, 320x240, in {root} ({time.time()-t0:.0f}s); CPU threads {torch.get_num_threads()}, cores {os.cpu_count()}')
    rows = []
    def row(name, value, unit, target=None, ok=None):
        rows.append((name, value, unit, target or '', '' if ok is None else ('pass' if ok else 'MISS')))
        print(f'  {name}: {value:.2f} {unit}', flush=True)

    bs,size,seq_len = 8,64,5
    ep = folders * max(1, -(-512 // n))   # epochs of >= 512 clips
    # the raw decode of the frames of `ep` with fastvideo's decoder, no loader: decode only, or decode plus the one resize to 64 px
    files = [frame_files(f)[:seq_len] for f in ep]
    def raw_clip(fs, decoder='simplejpeg', resize=True):
        x = np.stack([_load_image(o, size, 'crop', decoder=decoder) for o in fs])
        return _resize_clip(torch.from_numpy(x), size) if resize else x
    def raw(decoder, resize):
        def f():
            for fs in files: raw_clip(fs, decoder, resize)
        return f
    nt = num_cpus()
    def raw_par():
        with ThreadPoolExecutor(nt) as ex: list(ex.map(raw_clip, files))
    # 1. tutorial pipeline vs fastvideo from frames, same output, a warm-up epoch first (worker start-up); with the raw decode
    #    in one thread per core as the ceiling: what a loader with no overhead at all would reach on this machine
    def warm(dl): epoch(dl); return dl
    for w in (0, 2):
        tdl,fdl = warm(tutorial_dls(ep, bs, size, seq_len, w).train),warm(fastvideo_dls(ep, bs, size, seq_len, w).train)
        r = rates({'tut': lambda: epoch(tdl), 'fv': lambda: epoch(fdl), 'ceil': raw_par}, len(ep), a.rounds)
        row(f'tutorial pipeline, {w} workers', r['tut'], 'clips/s')
        row(f'fastvideo from frames, {w} workers', r['fv'], 'clips/s')
        row(f'fastvideo / tutorial, {w} workers', r['fv']/r['tut'], 'x', '>= 6', r['fv']/r['tut'] >= 6)
        row(f'ceiling / tutorial, {w} workers (ceiling: raw decode + resize, {nt} threads)', r['ceil']/r['tut'], 'x')
        row(f'fastvideo, {w} workers / ceiling', r['fv']/r['ceil'], 'x')
        if w:  # the main process's torch threads (batch transforms) compete with the workers for the cores: the same with one
            nthr = torch.get_num_threads(); torch.set_num_threads(1)
            try: r = rates({'tut': lambda: epoch(tdl), 'fv': lambda: epoch(fdl)}, len(ep), a.rounds)
            finally: torch.set_num_threads(nthr)
            row(f'tutorial, {w} workers, 1 torch thread in main', r['tut'], 'clips/s')
            row(f'fastvideo, {w} workers, 1 torch thread in main', r['fv'], 'clips/s')
            row(f'fastvideo / tutorial, same', r['fv']/r['tut'], 'x')
            # and with no batch transforms at all in the main process (uint8 batches, as when they run on a GPU): what the
            # worker processes alone deliver, against the same ceiling
            # and the same against a bare PyTorch loader with as many worker processes, each decoding whole batches with the
            # same decoder (no fastai, no per-item transforms): the bound for a process-based loader on this machine
            float_tfms,fdl.after_batch = fdl.after_batch,Pipeline([])
            ideal = torch.utils.data.DataLoader(_Batches(files, bs, raw_clip), batch_size=None, num_workers=w)
            r = rates({'tut': lambda: epoch(tdl), 'fv': lambda: epoch(fdl), 'ideal': lambda: epoch(ideal), 'ceil': raw_par}, len(ep), a.rounds)
            row(f'fastvideo, {w} workers, uint8 batches (nothing left in main)', r['fv'], 'clips/s')
            # the CPU time the main process takes per batch, which the workers lose on 2 cores: receiving the batches, and
            # the float conversion and normalisation
            cpu = {'uint8': main_cpu_ms(fdl, a.rounds)}
            fdl.after_batch = float_tfms; cpu['float'] = main_cpu_ms(fdl, a.rounds); fdl.after_batch = Pipeline([])
            row(f'main process CPU per batch, {w} workers, float batches', cpu['float'], 'ms')
            row(f'same, uint8 batches', cpu['uint8'], 'ms')
            row(f'same / ceiling', r['fv']/r['ceil'], 'x')
            row(f'bare PyTorch loader, {w} workers, whole batches, uint8', r['ideal'], 'clips/s')
            row(f'bare loader / tutorial', r['ideal']/r['tut'], 'x')
            row(f'fastvideo uint8 / bare loader', r['fv']/r['ideal'], 'x')
        del tdl, fdl
    # 2. fastvideo's frame loader vs the raw decode of the same frames with the same decoder, in a plain loop in one thread:
    #    decode only, and decode plus the one resize to the same 64 px output
    dl1,dlt = warm(fastvideo_dls(ep, bs, size, seq_len, 0, n_threads=1).train),warm(fastvideo_dls(ep, bs, size, seq_len, 0).train)
    dlu = warm(fastvideo_dls(ep, bs, size, seq_len, 0).train)
    dlu.after_batch = Pipeline([]) # uint8 batches: float conversion and normalisation left to the GPU
    assert dlt.threads()==nt
    r = rates({'pil': raw('pil', False), 'sj': raw('simplejpeg', False), 'sj_out': raw('simplejpeg', True), 'sj_par': raw_par,
               'dl1': lambda: epoch(dl1), 'dlt': lambda: epoch(dlt), 'dlu': lambda: epoch(dlu)}, len(ep), a.rounds)
    row('raw decode, PIL draft (reduced scale)', r['pil'], 'clips/s')
    row('raw decode, simplejpeg (reduced scale)', r['sj'], 'clips/s')
    row('simplejpeg / PIL draft, raw decode', r['sj']/r['pil'], 'x')
    row('raw decode + resize to 64 px, simplejpeg', r['sj_out'], 'clips/s')
    row(f'same, {nt} threads (this machine\'s ceiling)', r['sj_par'], 'clips/s')
    row('fastvideo loader, 0 workers, 1 thread', r['dl1'], 'clips/s')
    row(f'fastvideo loader, 0 workers, {nt} threads (default)', r['dlt'], 'clips/s')
    row(f'same, uint8 batches (batch tfms on the GPU)', r['dlu'], 'clips/s')
    row(f'loader ({nt} threads) / raw decode + resize', r['dlt']/r['sj_out'], 'x', '>= 0.8', r['dlt']/r['sj_out'] >= 0.8)
    row(f'loader ({nt} threads, uint8) / raw decode + resize', r['dlu']/r['sj_out'], 'x', '>= 0.8', r['dlu']/r['sj_out'] >= 0.8)
    row('loader (1 thread) / raw decode + resize', r['dl1']/r['sj_out'], 'x')
    row(f'loader ({nt} threads) / raw decode only', r['dlt']/r['sj'], 'x')
    del dl1, dlt, dlu
    # 2c. the loader's own work per clip, with the decode stubbed (every clip is the same tensor): fastvideo's direct item path
    #     (the clip transform called by the loader, plain collation, labels kept) vs fastai's item pipeline on the same loader
    import fastvideo.data.core as fcore
    direct,fastai_items = (fastvideo_dls(ep, bs, size, seq_len, 0, n_threads=1).train for _ in range(2))
    fastai_items._direct_clip = lambda: None
    clip0 = read_clip(ep[0], seq_len, 'first', size=size)
    real_read, fcore.read_clip = fcore.read_clip, lambda *args, **kwargs: clip0
    try:
        for d in (direct, fastai_items): d.after_batch = Pipeline([]); epoch(d)
        r = rates({'direct': lambda: epoch(direct), 'fastai': lambda: epoch(fastai_items)}, len(ep), 3*a.rounds)
    finally: fcore.read_clip = real_read
    row('loader work per clip (decode stubbed), direct item path', 1e6/r['direct'], 'us')
    row("same, fastai's item pipeline", 1e6/r['fastai'], 'us')
    row("fastai's item pipeline / direct path, loader work", r['direct']/r['fastai'], 'x')
    del direct, fastai_items
    # 2b. the batch transforms (IntToFloatTensor + Normalize) on a batch of clips: fastai's TensorImage code vs fastvideo's ImageTuple code
    xb = torch.randint(0, 256, (bs, seq_len, 3, size, size), dtype=torch.uint8)
    tfms = Pipeline([IntToFloatTensor(), Normalize.from_stats(*imagenet_stats, cuda=False)])
    r = rates({'fastai': lambda: [tfms(TensorImage(xb)) for _ in range(20)], 'ours': lambda: [tfms(ImageTuple(xb)) for _ in range(20)]}, 20, 3*a.rounds)
    row('batch tfms: ImageTuple / fastai TensorImage', r['ours']/r['fastai'], 'x')
    # 3. clips straight from the videos, one thread: fastvideo (seeking) vs PyAV baselines and torchcodec; then fastvideo's loader
    idxs = [clip_indices(150, seq_len, 'segment') for _ in vids]
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
    fns = {'fv': lambda: [read_clip(v, seq_len, size=size) for v in vids],
           'seq': lambda: [pyav_sequential(v, ix) for v,ix in zip(vids, idxs)],
           'seek': lambda: [pyav_seek(v, ix) for v,ix in zip(vids, idxs)]}
    try:
        from torchcodec.decoders import VideoDecoder
        fns['tc'] = lambda: [VideoDecoder(str(v)).get_frames_at(list(map(int, ix))) for v,ix in zip(vids, idxs)]
    except Exception as e: print(f'  torchcodec not available ({type(e).__name__}): comparing with PyAV seeking')
    rr = rates(fns, n, 6*a.rounds+1, per_round=True)
    r = {k:float(np.median(v)) for k,v in rr.items()}
    have_tc = 'tc' in r
    row('fastvideo from .avi (5 frames, 64 px), 1 thread', r['fv'], 'clips/s')
    row('PyAV decode up to the last frame', r['seq'], 'clips/s')
    row('PyAV seek per frame', r['seek'], 'clips/s')
    other = 'tc' if have_tc else 'seek'
    q,lo,hi = paired(rr, 'fv', other)
    if have_tc: row('torchcodec sparse decode (full-size frames)', r['tc'], 'clips/s')
    row(f'fastvideo / {"torchcodec" if have_tc else "PyAV seeking"}, 1 thread (median of the rounds\' ratios)', q, 'x', '>= 1.0', q >= 1)
    row(f'same, 10th and 90th percentiles of the {len(rr["fv"])} rounds\' ratios', lo, f'to {hi:.2f}')
    # 3b. converting a decoded 320x240 frame to RGB scaled to cover 64 px (85x64): planar RGB (what fastvideo asks the scaler for) vs packed
    from av.video.reformatter import VideoReformatter
    from fastvideo.data.read import _planes
    with av.open(str(vids[0])) as c: decoded = [f for f,_ in zip(c.decode(video=0), range(50))]
    rf = VideoReformatter()
    r = rates({'planar': lambda: [_planes(rf.reformat(f, width=85, height=64, format='gbrp', interpolation='BILINEAR', threads=1)) for f in decoded],
               'packed': lambda: [rf.reformat(f, width=85, height=64, format='rgb24', interpolation='BILINEAR', threads=1).to_ndarray() for f in decoded]},
              len(decoded), 4*a.rounds+1)
    row('frame to RGB at 85x64: planar / packed, frames/s', r['planar']/r['packed'], 'x')
    # 3b'. why a clip's frames are cropped into one numpy array, handed to PyTorch once: a PyTorch call right after a clip was decoded
    #      (its code out of the processor's caches) against the same call right after itself
    alloc = lambda: torch.empty((seq_len, 3, size, size), dtype=torch.uint8)
    def after(before):
        before(); start = time.perf_counter(); alloc(); return time.perf_counter()-start
    after_clip = [after(lambda: read_video_frames(v, ix, size)) for v,ix in zip(vids*2, idxs*2)]
    after_call = [after(alloc) for _ in after_clip]
    row('a PyTorch call (torch.empty) right after decoding a clip', 1e6*np.median(after_clip), 'us')
    row('same, right after the same call', 1e6*np.median(after_call), 'us')
    # 3c. the same from videos with one keyframe in 300 frames (XviD's default interval): decoded on from the start, not sought
    #     back to the keyframe for each frame; `_decode(index=False)` is the seek rule without the keyframe index
    from fastvideo.data.read import _decode, _open_video, _video_stream, _packet_index
    long_gop = L(v.parent.parent.parent/'videos_gop300'/v.parent.name/v.name for v in vids[:8])
    for v,src in zip(long_gop, vids):
        if not v.exists(): write_video(v, motion_video_frames(src.parent.name, size=(240, 320), n_frames=150), gop=300)
    def fv_clip(v, ix, index=True):
        with _open_video(v) as c:
            s = _video_stream(c, v); nf,pts,kseek = _packet_index(c, s, v)
            return _decode(c, s, v, ix, size, 'crop', nf, pts=pts, index=index, kseek=kseek)
    long_gop = long_gop*4
    lidx = [clip_indices(150, seq_len, 'segment') for _ in long_gop]
    fns = {'fv': lambda: [fv_clip(v, ix) for v,ix in zip(long_gop, lidx)], 'gap': lambda: [fv_clip(v, ix, False) for v,ix in zip(long_gop, lidx)]}
    if have_tc: fns['tc'] = lambda: [VideoDecoder(str(v)).get_frames_at(list(map(int, ix))) for v,ix in zip(long_gop, lidx)]
    for f in fns.values(): f() # warm up: the files in the page cache, fastvideo's first-frame timestamps learnt
    r3 = rates(fns, len(long_gop), 2*a.rounds+1, per_round=True)
    row('one keyframe in 300: fastvideo / seeking by seek_gap alone', paired(r3, 'fv', 'gap')[0], 'x')
    if 'tc' in r3: row('one keyframe in 300: fastvideo / torchcodec', paired(r3, 'fv', 'tc')[0], 'x')
    # 3d. AVIs with packed B-frames (XviD as FFmpeg's libxvid writes them with -bf 2): clips/s, and which frame each reader
    #     gives for each index asked, told by matching it against the frames of a decode from the start
    bvids = L(v.parent.parent.parent/'videos_bframes'/v.parent.name/v.name for v in vids[:8])
    try:
        for v,src in zip(bvids, vids):
            if not v.exists():
                v.parent.mkdir(parents=True, exist_ok=True)
                subprocess.run(['ffmpeg', '-loglevel', 'error', '-y', '-i', str(src), '-c:v', 'libxvid', '-bf', '2', '-q:v', '4', str(v)], check=True)
    except (OSError, subprocess.CalledProcessError) as e: print(f'  no AVIs with B-frames (ffmpeg with libxvid: {e}): rows left out')
    else:
        bidx = [clip_indices(video_frame_count(v), seq_len, 'segment') for v in bvids]
        fns = {'fv': lambda: [read_clip(v, seq_len, size=size) for v in bvids]}
        if have_tc: fns['tc'] = lambda: [VideoDecoder(str(v)).get_frames_at(list(map(int, ix))) for v,ix in zip(bvids, bidx)]
        r4 = rates(fns, len(bvids), 2*a.rounds+1, per_round=True)
        if have_tc: row('B-frames (XviD): fastvideo / torchcodec, 1 thread', paired(r4, 'fv', 'tc')[0], 'x')
        def wrong(read): # frames given for another index than the one asked, of all asked
            bad = tot = 0
            for v,ix in zip(bvids, bidx):
                with av.open(str(v)) as c: seq = np.stack([f.to_ndarray(format='rgb24') for f in c.decode(video=0)]).astype(np.float32)
                got = read(v, ix).permute(0, 2, 3, 1).numpy().astype(np.float32)
                for i,g in zip(ix, got): bad += int(np.abs(seq-g).mean((1, 2, 3)).argmin()!=i); tot += 1
            return bad, tot
        bad,tot = wrong(lambda v,ix: read_video_frames(v, ix))
        row(f'B-frames (XviD): fastvideo frames not the ones asked, of {tot}', bad, 'frames')
        if have_tc:
            bad,tot = wrong(lambda v,ix: VideoDecoder(str(v)).get_frames_at(list(map(int, ix))).data)
            row(f'B-frames (XviD): torchcodec frames not the ones asked, of {tot}', bad, 'frames')
    vitems = vids * max(1, -(-128 // n))
    vdl1,vdlt = [warm(fastvideo_dls(vitems, bs, size, seq_len, 0, sampling='segment', n_threads=t).train) for t in (1, None)]
    r = rates({'1': lambda: epoch(vdl1), 't': lambda: epoch(vdlt)}, len(vitems), a.rounds)
    row('fastvideo loader from .avi, 0 workers, 1 thread', r['1'], 'clips/s')
    row(f'fastvideo loader from .avi, 0 workers, {vdlt.threads()} threads (default)', r['t'], 'clips/s')
    del vdl1, vdlt
    # 4. the frame stores (one file per video: packed, or SQLite) vs one file per frame, warm page cache, 5 random frames per clip
    from fastvideo.data.store import open_frame_store
    packs,sqls = L(sorted(read_frame_counts(stores))),L(sorted(read_frame_counts(dbs)))
    rng = np.random.default_rng(0)
    picks = [sorted(rng.choice(150, seq_len, replace=False).tolist()) for _ in folders]
    def files_bytes():
        for f,ix in zip(folders, picks):
            names = sorted((o for o in os.listdir(f) if o.endswith('.jpg')), key=lambda o: int(o.split('.')[0])) # (not the extraction's note)
            for i in ix:
                with open(os.path.join(f, names[i]), 'rb') as fh: fh.read()
    def store_bytes(stores):
        def f():
            for p,ix in zip(stores, picks):
                with open_frame_store(p) as st: [st.frame_bytes(i) for i in ix]
        return f
    r = rates({'f': files_bytes, 'p': store_bytes(packs), 's': store_bytes(sqls)}, n, 3*a.rounds)
    row('read 5 frames (bytes): one file per frame', r['f'], 'clips/s'); row('read 5 frames (bytes): packed store', r['p'], 'clips/s')
    row('read 5 frames (bytes): SQLite store', r['s'], 'clips/s')
    row('packed store / per-frame files, bytes', r['p']/r['f'], 'x'); row('packed store / SQLite store, bytes', r['p']/r['s'], 'x')
    r = rates({'f': lambda: [read_clip(f, seq_len, size=size) for f in folders], 'p': lambda: [read_clip(p, seq_len, size=size) for p in packs],
               's': lambda: [read_clip(p, seq_len, size=size) for p in sqls]}, n, 2*a.rounds+1)
    row('packed store / per-frame files, with decode', r['p']/r['f'], 'x'); row('packed store / SQLite store, with decode', r['p']/r['s'], 'x')
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
        r = rates({'ours': ours, 'theirs': theirs}, 1, a.rounds)
        t_ours,t_ff = 1/r['ours'],1/r['theirs']
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
    r = rates({'td': folded, 'loop': looped}, 1, 6*a.rounds+1, per_round=True)
    q,lo,hi = paired(r, 'td', 'loop')
    row('TimeDistributed / per-frame loop (median of the rounds\' ratios)', q, 'x', '>= 1.3', q >= 1.3)
    row(f'same, 10th and 90th percentiles of the {len(r["td"])} rounds\' ratios', lo, f'to {hi:.2f}')
    # 7. share of a training epoch spent waiting for data: simple model on CPU
    items = folders*max(1, -(-32 // n)) # at least 32 clips with fewer videos, so that training gets a batch (32 videos: 3 batches)
    dls = get_action_dataloaders(items, bs=bs, image_size=size, seq_len=seq_len, valid_pct=0.25, seed=0)
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

    print(f'\nloader benchmark, {n} UCF-like videos, {seq_len} frames of {size} px, bs {bs}, medians of {a.rounds} or more runs taken in turns (of per-run ratios where said)')
    wn = max(len(o[0]) for o in rows)
    print(f'{"measure":<{wn}} {"value":>10} {"unit":<8} {"target":<8} result')
    for name,v,u,t,ok in rows: print(f'{name:<{wn}} {v:>10.2f} {u:<8} {t:<8} {ok}')

def main(a):
    root = Path(a.dir or tempfile.mkdtemp(prefix='fastvideo-bench-'))
    try: run(a, root)
    finally:
        if not a.dir: shutil.rmtree(root, ignore_errors=True) # (kept with --dir, to be reused)

if __name__=='__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--n-videos', type=int, default=32)
    p.add_argument('--rounds', type=int, default=3)
    p.add_argument('--dir', default=None, help='keep the material in this folder (reused on the next run)')
    main(p.parse_args())
