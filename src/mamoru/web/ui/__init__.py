"""The web pages of mamoru's shell: home per role, organisation directory and detail."""
