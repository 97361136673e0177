from ev import *
import sys
def knn2(rec,k=50,H=90,field='nb',mode='rel',pw=1):
    nb=rec[field][:k]
    if not nb: return {}
    top=nb[0][1] or 1
    v=collections.defaultdict(float)
    for p,s,a in nb:
        x = s/top if mode=='rel' else s
        v[p]+= x**pw * 2**(-max(0,a)/H)
    return v
def logn(v,cands,L=math.log(100)):
    m=max((v.get(p,0) for p in cands),default=0)
    if m<=0: return {p:0 for p in cands}
    return {p:(max(0,1+math.log(v[p]/m)/L) if v.get(p,0)>0 else 0) for p in cands}
def evalf(Z,fs,ws,normf):
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
mx=lambda v,c: norm(v,c,'max')
for Z in ['zk.pkl','np.pkl']:
    HS=data(Z)['HS']
    for pw in [1,2,3]:
        print(Z,'knn pw',pw,evalf(Z,[lambda r:knn2(r,50,90,pw=pw)],[1],[mx]))
    for L in [2,5,10,100]:
      for w in [.3,.5,1]:
        print(Z,'log L',L,'rec7 w',w,evalf(Z,[lambda r:knn2(r,50,90),lambda r:recent(r,7)],[1,w],[lambda v,c:logn(v,c,math.log(L))]*2))
    for w in [.3,.5,1]:
        print(Z,'max rec7 w',w,evalf(Z,[lambda r:knn2(r,50,90),lambda r:recent(r,7)],[1,w],[mx]*2))
