import sys; sys.path.insert(0, "/tmp/docscratch")
from dbg import dump
def test_dump():
    dump("credit_note", "credit_note")
    dump("delivery_note", "second")
    dump("quote", "quote")
    dump("order_ack", "irish_order")
