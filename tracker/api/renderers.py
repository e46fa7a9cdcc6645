"""The API's pages in a browser, within the site's Content Security Policy (no inline style)."""

from rest_framework import renderers


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's browsable API without the two things of its page that put a style inline.

    The page's `<style>` holds Pygments' colours for code in a view's description (the API's
    descriptions have none), and its "Filters" button carries a `style` attribute. Allowing inline
    styles would weaken the policy for the whole site; the filters are in the query string anyway,
    each listed in the API docs (/api/docs/), where Swagger UI also tries them out.
    """

    def get_context(self, data, accepted_media_type, renderer_context):
        return {**super().get_context(data, accepted_media_type, renderer_context), "code_style": None}

    def get_filter_form(self, data, view, request):
        return None
