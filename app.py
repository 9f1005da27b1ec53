"""drug-indicators: U.S. drug-trafficking indicators, with a news article's claims checked.

Run with `uv run streamlit run app.py`. This one file is both halves of the app:
- run by Streamlit for every visitor (`__name__ == "__main__"`), it is the page script:
  navigation, sidebar filters, URL state, then the page;
- imported by `streamlit run` to serve it (`__name__ == "app"`), it is the server, `st.App`,
  whose start-up warms the process (imports, tables, the first charts) before the first
  visitor is let in.
"""

import contextlib

import streamlit as st


def page_script() -> None:
    from indicators import progressive, query, ui

    st.set_page_config(page_title="drug-indicators", page_icon=":bar_chart:", layout="wide")

    problems = ui.store_problems()
    if problems:
        st.error(
            "The data store is damaged or missing:\n\n" + "\n\n".join(f"- {p}" for p in problems)
        )
        st.stop()

    ui.init_state()
    articles = sorted(query.load("claims", ui.active_store())["article_id"].unique().tolist())

    pages = [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page(
            "pages/overdose_deaths.py", title="Overdose deaths", icon=":material/monitor_heart:"
        ),
        st.Page("pages/seizures.py", title="Seizures", icon=":material/inventory_2:"),
        st.Page("pages/encounters.py", title="Encounters", icon=":material/groups:"),
        st.Page("pages/states.py", title="States over time", icon=":material/map:"),
        st.Page("pages/claims.py", title="Article claims", icon=":material/fact_check:"),
        st.Page("pages/upload.py", title="Upload data", icon=":material/upload_file:"),
        st.Page("pages/sources.py", title="Sources & methods", icon=":material/menu_book:"),
    ]
    page = st.navigation(pages, position="hidden")
    ui.default_article(articles)
    progressive.start()  # a new visitor's first run draws the top of the page only
    if progressive.staged():  # the sidebar comes in the next run, which this asks for
        progressive.ask_for_the_rest(st.sidebar)
    else:
        ui.nav(pages)  # our own links: they carry the filters in the URL to the next page
        ui.sidebar(articles)
    ui.sync_url(page.url_path)
    present = ui.filters().present
    if present:
        ui.presentation_css()
    else:
        ui.url_notice(page.url_path)
    page.run()
    progressive.finish()
    if present:
        ui.exit_presentation()  # below the last chart, out of every screenshot


@contextlib.asynccontextmanager
async def _warm_up(_app):
    from indicators import warmup

    warmup.run()
    yield


if __name__ == "__main__":
    page_script()
else:
    app = st.App(__file__, lifespan=_warm_up)
