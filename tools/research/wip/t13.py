exec(open('t4.py').read().split("for Z in")[0])
def rrf(v,c,K=10):
    srt=sorted((x for x in (v.get(p,0) for p in c) if x>0), reverse=True); pos={}
    for i,x in enumerate(srt): pos.setdefault(x,i)
    return {p:(K+1)/(K+1+pos[v[p]]) if v.get(p,0)>0 else 0 for p in c}
def sqn(v,c):
    m=max((v.get(p,0) for p in c),default=0)
    return {p:math.sqrt(v.get(p,0)/m) if m>0 else 0 for p in c}
for Z in ['zk.pkl','np.pkl']:
    HS=data(Z)['HS']
    fs=[lambda r:knn2(r,50,90),lambda r:erec(r,5),lambda r:comp(r,365,'own',HS)]
    for K in [0,2,5,10,30]:
        for w in [(1,.5,.3),(1,1,1),(1,.7,.5)]:
            print(Z,'rrf',K,w,evalf(Z,fs,w,[lambda v,c:rrf(v,c,K)]*3))
    for w in [(1,.5,.3),(1,1,.5),(1,.7,.5)]:
        print(Z,'sqrt',w,evalf(Z,fs,w,[sqn]*3))
