"""Build ``static/web/europe-map.json`` (SVG paths of European countries) from world-atlas.

One-off, offline tool; its output is committed. Usage::

    cd /tmp && npm pack world-atlas && tar xzf world-atlas-*.tgz
    python src/escp4i/web/tools/build_europe_map.py /tmp/package/countries-50m.json

Steps: decode the TopoJSON (quantised, delta-encoded arcs + transform), assemble each country's
rings, project them with a Lambert azimuthal equal-area projection centred on Europe, clip them
to the map frame, simplify (Douglas-Peucker, in projected units) and write
``{"viewBox": "0 0 W H", "paths": {iso2: "M...Z"}}``. Country geometry: Natural Earth (public
domain) via world-atlas (ISC). See docs/decisions/002-charts-and-map.md.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parent.parent / "static" / "web" / "europe-map.json"

# Projection centre and the frame kept (lon/lat box used to pick countries and to size the frame).
LON0, LAT0 = 15.0, 52.0
BOX = (-25.0, 33.0, 45.0, 71.5)  # west, south, east, north
WIDTH = 800.0
TOLERANCE = 0.35  # simplification tolerance, in output pixels

# Geometries without an ISO numeric id in Natural Earth.
NAMED = {"Kosovo": "XK", "N. Cyprus": "CY"}

Point = tuple[float, float]
Ring = list[Point]


def decode_arcs(topology: dict) -> list[list[Point]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(indexes: list[int], arcs: list[list[Point]]) -> Ring:
    ring: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        ring.extend(arc if not ring else arc[1:])
    return ring


def polygons(geometry: dict, arcs: list[list[Point]]) -> list[list[Ring]]:
    if geometry["type"] == "Polygon":
        return [[ring_points(r, arcs) for r in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[ring_points(r, arcs) for r in poly] for poly in geometry["arcs"]]
    return []


def project(lon: float, lat: float) -> Point:
    """Lambert azimuthal equal-area, unit sphere; y grows northwards."""
    lam, phi = math.radians(lon - LON0), math.radians(lat)
    phi0 = math.radians(LAT0)
    k = math.sqrt(
        2 / (1 + math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam))
    )
    x = k * math.cos(phi) * math.sin(lam)
    y = k * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam))
    return x, y


def frame() -> tuple[float, float, float, float]:
    west, south, east, north = BOX
    edge = [project(lon, lat) for lon in (west, east) for lat in (south, north)]
    edge += [project(LON0, south), project(LON0, north)]
    xs, ys = [p[0] for p in edge], [p[1] for p in edge]
    return min(xs), min(ys), max(xs), max(ys)


def clip(ring: Ring, x0: float, y0: float, x1: float, y1: float) -> Ring:
    """Sutherland-Hodgman clipping of a ring to an axis-aligned rectangle."""

    def cut(points: Ring, inside, intersect) -> Ring:
        out: Ring = []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if inside(current):
                if not inside(previous):
                    out.append(intersect(previous, current))
                out.append(current)
            elif inside(previous):
                out.append(intersect(previous, current))
        return out

    def at_x(x: float):
        return lambda a, b: (x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]))

    def at_y(y: float):
        return lambda a, b: (a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y)

    points = ring
    for inside, intersect in (
        (lambda p: p[0] >= x0, at_x(x0)),
        (lambda p: p[0] <= x1, at_x(x1)),
        (lambda p: p[1] >= y0, at_y(y0)),
        (lambda p: p[1] <= y1, at_y(y1)),
    ):
        if not points:
            break
        points = cut(points, inside, intersect)
    return points


def simplify(points: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker (iterative)."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = math.hypot(bx - ax, by - ay) or 1e-12
        worst, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            if distance > worst:
                worst, index = distance, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify_ring(ring: Ring, tolerance: float) -> Ring:
    """Simplify a closed ring: split it at the point farthest from its start, then D-P each half."""
    start = ring[0]
    far = max(range(len(ring)), key=lambda i: math.dist(start, ring[i]))
    first = simplify(ring[: far + 1], tolerance)
    second = simplify([*ring[far:], start], tolerance)
    return first + second[1:-1]


def iso2(geometry: dict) -> str | None:
    name = geometry.get("properties", {}).get("name", "")
    if name in NAMED:
        return NAMED[name]
    if "id" not in geometry:
        return None
    country = pycountry.countries.get(numeric=geometry["id"])
    return country.alpha_2 if country else None


def build(source: Path) -> dict[str, object]:
    topology = json.loads(source.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    fx0, fy0, fx1, fy1 = frame()
    scale = WIDTH / (fx1 - fx0)
    height = round((fy1 - fy0) * scale)

    def to_px(p: Point) -> Point:
        return (p[0] - fx0) * scale, (fy1 - p[1]) * scale

    paths: dict[str, list[str]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = iso2(geometry)
        if code is None:
            continue
        for polygon in polygons(geometry, arcs):
            for ring in polygon:
                projected = [to_px(project(lon, lat)) for lon, lat in ring]
                clipped = clip(projected, 0.0, 0.0, WIDTH, float(height))
                if len(clipped) < 3:
                    continue
                reduced = simplify_ring(clipped, TOLERANCE)
                if len(reduced) < 3:
                    continue
                xs = [p[0] for p in reduced]
                ys = [p[1] for p in reduced]
                if (max(xs) - min(xs)) * (max(ys) - min(ys)) < 0.5:
                    continue  # islets below half a pixel: invisible, skip the bytes
                start = reduced[0]
                segment = [f"M{start[0]:.1f} {start[1]:.1f}"]
                previous = (round(start[0], 1), round(start[1], 1))
                for x, y in reduced[1:]:
                    here = (round(x, 1), round(y, 1))
                    # relative coordinates keep the file small
                    segment.append(f"l{here[0] - previous[0]:.1f} {here[1] - previous[1]:.1f}")
                    previous = here
                segment.append("z")
                paths.setdefault(code, []).append("".join(segment).replace(".0 ", " "))
    return {
        "viewBox": f"0 0 {WIDTH:.0f} {height}",
        "source": "Natural Earth 1:50m admin-0 countries via world-atlas 2 (ISC); public domain",
        "paths": {code: "".join(parts) for code, parts in sorted(paths.items())},
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    result = build(Path(argv[1]))
    OUT.write_text(json.dumps(result, separators=(",", ":")), encoding="utf-8")
    print(f"{OUT}: {len(result['paths'])} countries, {OUT.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
