"""The figures the simulated year is drawn with: volumes, shares, sector weights, seasons, results, ratings."""

APPEALS_PER_YEAR = 12_500
REPEAT_SHARE = 0.04  # same person, category and address within 30 days
BUCKET_SHARE = 0.12  # share of each sector in its «прочие по направлению» bucket
SECOND_PROBLEM_SHARE = 0.06  # messages that raise a second, unrelated problem
PERSONS_PER_YEAR = 23_000  # pool size that gives ≈ 9,000 distinct authors among 12,500 appeals
# Housing leads everywhere in regional feedback statistics; the other blocks share the rest.
SECTOR_WEIGHTS = {
    "health": 12,
    "education": 7,
    "social": 9,
    "housing": 28,
    "waste": 7,
    "roads": 12,
    "transport": 7,
    "energy": 6,
    "other": 12,
}
# Monthly factors, January first: what Arctic residents write about follows the season.
WINTER = (3.0, 3.0, 2.6, 1.6, 0.6, 0.25, 0.2, 0.2, 0.5, 1.4, 2.4, 3.0)
SPRING = (0.6, 0.6, 1.0, 2.4, 3.0, 1.8, 1.0, 0.9, 0.9, 0.8, 0.6, 0.6)
SUMMER = (0.4, 0.4, 0.5, 0.8, 1.6, 2.6, 3.0, 2.8, 1.8, 0.8, 0.5, 0.4)
NAVIGATION = (0.1, 0.1, 0.1, 0.1, 0.6, 2.6, 3.2, 3.2, 2.4, 1.0, 0.2, 0.1)
WINTER_ROADS = (3.0, 3.0, 3.0, 2.4, 0.4, 0.1, 0.1, 0.1, 0.1, 0.3, 1.2, 2.6)
SEASONS = {
    "housing.heating": WINTER,
    "roads.snow": WINTER,
    "energy.fuel": WINTER,
    "roads.maintenance": SPRING,
    "roads.sidewalks": SPRING,
    "waste.removal": SUMMER,
    "waste.dumps": SUMMER,
    "waste.container_sites": SUMMER,
    "other.landscaping": SUMMER,
    "transport.water": NAVIGATION,
    "transport.winter_roads": WINTER_ROADS,
}
VOLUME = (1.1, 1.05, 1.05, 1.0, 1.0, 0.9, 0.85, 0.85, 0.95, 1.0, 1.1, 1.15)
RESULTS = {"supported": 25, "measures_taken": 25, "explained": 35, "not_supported": 10, "answered": 5}
RATINGS = {5: 45, 4: 20, 3: 10, 2: 10, 1: 15}
