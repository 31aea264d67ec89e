import pulumi
from greeting import GreetingProvider
from pulumi.dynamic import Resource


class Greeting(Resource, module="test", name="Greeting"):
    greeting: pulumi.Output[str]

    def __init__(self, name: str, who: str) -> None:
        super().__init__(GreetingProvider(), name, {"name": who, "greeting": None})


config = pulumi.Config()
g = Greeting("hello", config.get("who") or "CNIL")
pulumi.export("greeting", g.greeting)
