"""Every main page renders for the roles that may see it."""


def test_start_page_greets_signed_in_officer(login_as):
    client = login_as("procurement_officer")
    response = client.get("/")
    assert response.status_code == 200
    assert "Procurement Officer" in response.get_data(as_text=True)
