exec(open('t4.py').read().split("for Z in")[0])
import sys
Z=sys.argv[1]; HS=data(Z)['HS']
fs=[lambda r:knn2(r,50,90),lambda r:erec(r,5),lambda r:comp(r,365,'own',HS)]; ws=[1,.5,.3]
B=collections.defaultdict(lambda:[0,0,0])
for rec in data(Z)['recs']:
    if rec['who'] not in rec['pool']: continue
    c=rec['cands']; s=collections.defaultdict(float)
    for f,w in zip(fs,ws):
        for p,x in mx(f(rec),c).items(): s[p]+=w*x
    rk=sorted(c,key=lambda p:(-s[p],p)); pos=rk.index(rec['who'])
    n365=sum(1 for a in rec['act'][rec['who']] if a<365)
    last=min(max(0,a) for a in rec['act'][rec['who']])
    b= '1' if n365<=1 else '2-3' if n365<=3 else '4-10' if n365<=10 else '11-30' if n365<=30 else '>30'
    for key in (b, 'last<7d' if last<7 else 'last<30d' if last<30 else 'last<90' if last<90 else 'last>=90'):
        B[key][0]+=1; B[key][1]+=pos==0; B[key][2]+=pos<5
for k,v in sorted(B.items()): print(Z,k,v[0],round(v[1]/v[0],2),round(v[2]/v[0],2))
