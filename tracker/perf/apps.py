from django.apps import AppConfig


class PerfConfig(AppConfig):
    """The developer tools' commands: generate_scale_data, benchmark and load_test."""

    name = "tracker.perf"
    verbose_name = "Developer tools for measuring speed"
