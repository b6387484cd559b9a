// The `reviews` VirtualService several tests start from: namespace demo, every request routed
// to subset v1 and a copy mirrored to another subset (flow style, so the positions of the
// mirror subset and percentage are fixed: line 10 and line 11).

export function reviewsVirtualService(mirrorSubset = 'v3', mirrorPercentage?: number): string {
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: demo
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
    mirror: {host: reviews, subset: ${mirrorSubset}}
${mirrorPercentage === undefined ? '' : `    mirrorPercentage: {value: ${mirrorPercentage}}\n`}`;
}
