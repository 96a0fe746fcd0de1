"""The API's JSON parser (REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]): depth-limited, see hukou.jsonlimits."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from hukou.jsonlimits import JsonInputError, json_loads_bounded


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return json_loads_bounded(stream.read() if stream is not None else b"")
        except JsonInputError as error:
            raise ParseError(f"JSON 解析错误：{error.message}") from None
