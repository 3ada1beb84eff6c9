"""The tests of lingyi/ui/, one module per module of the room; a package, as test_charts and test_admin are also the
names of other rooms' tests."""
