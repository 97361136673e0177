from ev import *
import bisect
def knn2(rec,k=50,H=90,field='nb',mode='rel',pw=1):
    nb=rec[field][:k]
    if not nb: return {}
    top=nb[0][1] or 1
    v=collections.defaultdict(float)
    for p,s,a in nb:
        x = s/top if mode=='rel' else s
        v[p]+= x**pw * 2**(-max(0,a)/H)
    return v
def erec(rec,Hn=10):
    allages=sorted(max(0,a) for ages in rec['act'].values() for a in ages)
    return {p:sum(2**(-bisect.bisect_left(allages,max(0,a))/Hn) for a in ages) for p,ages in rec['act'].items()}
def pmax(rec,H=90,field='nb'):
    v={}
    for p,s,a in rec[field]:
        x=s*2**(-max(0,a)/H)
        if x>v.get(p,0): v[p]=x
    return v
def ptop(rec,H=90,m=3,field='nb'):
    d=collections.defaultdict(list)
    for p,s,a in rec[field]: d[p].append(s*2**(-max(0,a)/H))
    return {p:sum(sorted(l,reverse=True)[:m]) for p,l in d.items()}
mx=lambda v,c: norm(v,c,'max')
def evalf(Z,fs,ws,normf=None):
    normf=normf or [mx]*len(fs)
    d=data(Z); hits=collections.Counter(); n=0; rr=0
    for rec in d['recs']:
        c=rec['cands']; s=collections.defaultdict(float)
        for f,w,nf in zip(fs,ws,normf):
            for p,x in nf(f(rec),c).items(): s[p]+=w*x
        rk=sorted(c,key=lambda p:(-s[p],p))[:10]
        if rec['who'] in rec['pool']:
            n+=1
            if rec['who'] in rk:
                i=rk.index(rec['who']); rr+=1/(i+1)
                for k in (1,5): hits[k]+= i<k
    return round(hits[1]/n,3),round(hits[5]/n,3),round(rr/n,3)
def compd(rec,H=365,HS=None,use_given=True,use_det=True,thr=0.0,detpow=1.0,idfw=True):
    h=HS.index(H); given=set(rec['comps']); det=dict(rec.get('det',[]))
    v=collections.defaultdict(float); W=0
    for c,cdf,d in rec['comp']:
        conf=0.0
        if c in given and use_given: conf=1.0
        elif c not in given and use_det and det.get(c,0)>=thr: conf=det[c]**detpow
        if conf<=0: continue
        w=conf*(math.log(1+rec['N']/(cdf+1)) if idfw else 1)
        tot=sum(x[h] for x in d.values()) or 1
        for p,x in d.items(): v[p]+=w*x[h]/tot
    return v
