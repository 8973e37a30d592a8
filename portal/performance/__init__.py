"""Performance measurement: daily snapshots of how the programmes perform, shown as pages, charts,
CSV, JSON and API.

The core holds the machinery (snapshot tables, the job, pages, charts, downloads, API); each pillar
contributes its figures and tables in its AppConfig.ready() through `registry`, as dashboard panels are.
"""
